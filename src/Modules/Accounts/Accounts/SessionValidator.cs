using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
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
/// <remarks>
/// Identity's validator and its graph (SignInManager, UserManager, stores, claims factory) are built only when the fast
/// check fails; resolving them on every request was a measurable part of a page's CPU. The check itself is a compiled
/// query, so a request does not translate or look up its LINQ.
/// </remarks>
internal sealed class SessionValidator(
    IOptions<SecurityStampValidatorOptions> options,
    AccountsDbContext db,
    IOptions<IdentityOptions> identity) : ISecurityStampValidator
{
    private sealed record Stored(string? SecurityStamp, bool EmailConfirmed, List<string?> Roles);

    /// <summary>
    /// Compiled once per model: a compiled query runs only against the model it was compiled with, and a process (the
    /// tests') can hold contexts on several providers.
    /// </summary>
    private static readonly ConditionalWeakTable<IModel, Func<AccountsDbContext, string, CancellationToken, Task<Stored?>>> StoredQueries = new();

    private static Func<AccountsDbContext, string, CancellationToken, Task<Stored?>> StoredOf(AccountsDbContext db) =>
        StoredQueries.GetValue(db.Model, _ => CompileStored());

    private static Func<AccountsDbContext, string, CancellationToken, Task<Stored?>> CompileStored() =>
        EF.CompileAsyncQuery((AccountsDbContext db, string userId, CancellationToken _) => db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new Stored(
                u.SecurityStamp,
                u.EmailConfirmed,
                db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, role) => role.Name).ToList()))
            .SingleOrDefault());

    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (!Due(context) || await UnchangedAsync(context.Principal, context.HttpContext.RequestAborted))
        {
            return;
        }
        var services = context.HttpContext.RequestServices;
        var identityValidator = new SecurityStampValidator<PortalUser>(
            options, services.GetRequiredService<SignInManager<PortalUser>>(), services.GetRequiredService<ILoggerFactory>());
        await identityValidator.ValidateAsync(context);
    }

    private bool Due(CookieValidatePrincipalContext context) =>
        context.Properties.IssuedUtc is not { } issued
        || (options.Value.TimeProvider ?? TimeProvider.System).GetUtcNow() - issued > options.Value.ValidationInterval;

    private async Task<bool> UnchangedAsync(ClaimsPrincipal? principal, CancellationToken cancellationToken)
    {
        var claims = identity.Value.ClaimsIdentity;
        if (principal?.FindFirstValue(claims.UserIdClaimType) is not { Length: > 0 } userId
            || principal.FindFirstValue(claims.SecurityStampClaimType) is not { Length: > 0 } stamp)
        {
            return false;
        }
        var stored = await StoredOf(db)(db, userId, cancellationToken);
        if (stored is null || stored.SecurityStamp != stamp || stored.EmailConfirmed != principal.HasClaim(PortalClaims.EmailConfirmed, "true"))
        {
            return false;
        }
        var roles = principal.FindAll(claims.RoleClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return roles.SetEquals(stored.Roles.OfType<string>());
    }
}
