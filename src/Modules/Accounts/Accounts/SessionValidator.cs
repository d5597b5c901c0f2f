using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChaosModular.Accounts;

/// <summary>
/// The sign-in cookie checked on every request (<see cref="SecurityStampValidatorOptions.ValidationInterval"/> is zero, so a
/// changed password signs other sessions out at once) with one query: the account's security stamp and role names. When both
/// match the cookie (and the cookie's email-confirmed claim matches the account), the cookie is kept as it is. Identity's own validator would instead rebuild the principal on every
/// request (user, claims, roles and each role's claims: five queries for a customer) and issue a new cookie with every
/// response. A changed stamp or role set goes to Identity's validator, which rejects the session or rebuilds and renews it.
/// </summary>
internal sealed class SessionValidator(
    IOptions<SecurityStampValidatorOptions> options,
    SignInManager<PortalUser> signInManager,
    ILoggerFactory logger,
    AccountsDbContext db,
    IOptions<IdentityOptions> identity) : SecurityStampValidator<PortalUser>(options, signInManager, logger)
{
    public override async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (!Due(context) || await UnchangedAsync(context.Principal, context.HttpContext.RequestAborted))
        {
            return;
        }
        await base.ValidateAsync(context);
    }

    private bool Due(CookieValidatePrincipalContext context) =>
        context.Properties.IssuedUtc is not { } issued || TimeProvider.GetUtcNow() - issued > Options.ValidationInterval;

    private async Task<bool> UnchangedAsync(ClaimsPrincipal? principal, CancellationToken cancellationToken)
    {
        var claims = identity.Value.ClaimsIdentity;
        if (principal?.FindFirstValue(claims.UserIdClaimType) is not { Length: > 0 } userId
            || principal.FindFirstValue(claims.SecurityStampClaimType) is not { Length: > 0 } stamp)
        {
            return false;
        }
        var stored = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                u.SecurityStamp,
                u.EmailConfirmed,
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, role) => role.Name).ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (stored is null || stored.SecurityStamp != stamp || stored.EmailConfirmed != principal.HasClaim(PortalClaims.EmailConfirmed, "true"))
        {
            return false;
        }
        var roles = principal.FindAll(claims.RoleClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return roles.SetEquals(stored.Roles.OfType<string>());
    }
}
