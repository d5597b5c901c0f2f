using System.Security.Claims;
using ChaosModular.Accounts.Contracts;
using ChaosModular.Modules.Infrastructure.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;

namespace ChaosModular.Organizations;

/// <summary>
/// The Organization menu follows membership, not a stored role: a signed-in account is in the role
/// <see cref="PortalRoles.OrganizationAdministrator"/> while it is an administrator of an organization, so the
/// layout's <c>IsInRole</c> and the <see cref="PortalPolicies.OrganizationAdministrator"/> policy read the database
/// (one indexed query), remembered per account for <see cref="AdministratorMemory.Window"/> (5 seconds) so a burst of page views
/// pays it once. A change of membership saved in this process forgets the account at once; one made by another
/// process (another Web instance, the Worker) is seen within the window at most. A role claim of that name that came
/// from anywhere else is dropped.
/// </summary>
internal sealed class OrganizationAdministratorClaims(OrganizationsDbContext db, AdministratorMemory memory) : IClaimsTransformation
{
    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } || principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { Length: > 0 } accountId)
        {
            return principal;
        }
        if (memory.Recall(accountId) is not { } administrator)
        {
            administrator = await db.Memberships.AsNoTracking()
                .AnyAsync(m => m.AccountId == accountId && m.Role == OrganizationRole.Administrator);
            memory.Remember(accountId, administrator);
        }
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

/// <summary>Whether an account administers an organization, remembered briefly (see <see cref="OrganizationAdministratorClaims"/>).</summary>
internal sealed class AdministratorMemory(IMemoryCache cache, IConfiguration configuration)
{
    /// <summary><c>Organizations:AdministratorRoleSeconds</c>: the longest a removed administrator keeps the role on another process (5 seconds unless set; 0 reads it on every request).</summary>
    public TimeSpan Window { get; } = TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue("Organizations:AdministratorRoleSeconds", 5)));

    public bool? Recall(string accountId) => cache.TryGetValue(Key(accountId), out bool administrator) ? administrator : null;

    public void Remember(string accountId, bool administrator)
    {
        if (Window > TimeSpan.Zero)
        {
            cache.Set(Key(accountId), administrator, Window);
        }
    }

    public void Forget(string accountId) => cache.Remove(Key(accountId));

    private static (Type, string) Key(string accountId) => (typeof(AdministratorMemory), accountId);
}

/// <summary>
/// Forgets the accounts whose memberships a save adds, changes or removes, before and after the save, so the next
/// request of this process reads their role afresh. Bulk deletes (<c>ExecuteDelete</c>) call <see cref="AdministratorMemory.Forget"/> themselves.
/// </summary>
internal sealed class MembershipChanges(AdministratorMemory memory) : SaveChangesInterceptor, IModuleDbContextConfiguration
{
    public void Configure(string moduleName, DbContextOptionsBuilder options)
    {
        if (moduleName == OrganizationsDbContext.Schema)
        {
            options.AddInterceptors(this);
        }
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ForgetChanged(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ForgetChanged(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ForgetChanged(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ForgetChanged(eventData.Context);
        return result;
    }

    private void ForgetChanged(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        foreach (var entry in context.ChangeTracker.Entries<Membership>().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted or EntityState.Unchanged))
        {
            memory.Forget(entry.Entity.AccountId);
        }
    }
}
