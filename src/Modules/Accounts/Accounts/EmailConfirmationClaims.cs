using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChaosModular.Accounts;

/// <summary>The sign-in cookie's principal, with <see cref="PortalClaims.EmailConfirmed"/> once the address is confirmed.</summary>
internal sealed class PortalClaimsPrincipalFactory(UserManager<PortalUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.EmailConfirmed)
        {
            identity.AddClaim(new Claim(PortalClaims.EmailConfirmed, "true"));
        }
        return identity;
    }
}

/// <summary>
/// A signed-in account refused only because its address is not confirmed is sent to the page that says so and offers to
/// resend the link (with the way back), instead of a bare 403. Every other answer is the framework's.
/// </summary>
internal sealed class EmailConfirmationRedirect : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && OnlyConfirmationMissing(authorizeResult.AuthorizationFailure))
        {
            var back = context.Request.Path + (HttpMethods.IsGet(context.Request.Method) ? context.Request.QueryString : QueryString.Empty);
            context.Response.Redirect(AccountsRoutes.EmailConfirmationNeeded + QueryString.Create("returnUrl", back));
            return Task.CompletedTask;
        }
        return _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private static bool OnlyConfirmationMissing(AuthorizationFailure? failure) =>
        failure is { FailCalled: false } && failure.FailedRequirements.Any()
        && failure.FailedRequirements.All(r => r is ClaimsAuthorizationRequirement { ClaimType: PortalClaims.EmailConfirmed });
}
