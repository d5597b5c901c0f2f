using System.Security.Claims;
using ChaosModular.Accounts.Contracts;
using Microsoft.AspNetCore.Authentication;

namespace ChaosModular.Organizations;

/// <summary>
/// The Organization menu follows membership, not a stored role: a signed-in account is in the role
/// <see cref="PortalRoles.OrganizationAdministrator"/> exactly while it is an administrator of an organization, so the
/// layout's <c>IsInRole</c> and the <see cref="PortalPolicies.OrganizationAdministrator"/> policy read the database
/// (one indexed query per request). A role claim of that name that came from anywhere else is dropped.
/// </summary>
internal sealed class OrganizationAdministratorClaims(OrganizationsDbContext db) : IClaimsTransformation
{
    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } || principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { Length: > 0 } accountId)
        {
            return principal;
        }
        var administrator = await db.Memberships.AsNoTracking()
            .AnyAsync(m => m.AccountId == accountId && m.Role == OrganizationRole.Administrator);
        var transformed = principal.Clone();
        var identity = (ClaimsIdentity)transformed.Identity!;
        foreach (var stale in identity.FindAll(c => c.Type == identity.RoleClaimType && c.Value == PortalRoles.OrganizationAdministrator).ToList())
        {
            identity.RemoveClaim(stale);
        }
        if (administrator)
        {
            identity.AddClaim(new Claim(identity.RoleClaimType, PortalRoles.OrganizationAdministrator));
        }
        return transformed;
    }
}
