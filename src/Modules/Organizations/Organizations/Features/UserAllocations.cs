using ChaosModular.Licensing.Contracts;

namespace ChaosModular.Organizations.Features;

/// <summary>What each user on a page of the Users list holds from the organization: one query and one Licensing call per page.</summary>
internal sealed class UserAllocations(OrganizationsDbContext db, ILicenseAllocationsApi allocations, PageDataCache cache)
{
    /// <summary>Kept while nothing it read changes (<see cref="PageDataCache"/>).</summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<AllocationSummary>>> ByMembershipAsync(AdministeredOrganization organization,
        IReadOnlyCollection<Guid> membershipIds, CancellationToken cancellationToken)
    {
        var ids = membershipIds.Distinct().Order().ToList();
        return (await cache.GetOrReadAsync((typeof(UserAllocations), organization, string.Join(',', ids)), c => ReadAsync(organization, ids, c), cancellationToken))!;
    }

    private async Task<IReadOnlyDictionary<Guid, IReadOnlyList<AllocationSummary>>?> ReadAsync(AdministeredOrganization organization, List<Guid> ids,
        CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, IReadOnlyList<AllocationSummary>>();
        }
        var accounts = await db.Memberships.AsNoTracking().Where(m => m.OrganizationId == organization.Id && ids.Contains(m.Id))
            .Select(m => new { m.Id, m.AccountId }).ToListAsync(cancellationToken);
        var held = (await allocations.AllocationsOfAsync(organization.AccountId, [.. accounts.Select(a => a.AccountId)], cancellationToken))
            .Where(a => a.OrganizationId == organization.Id)
            .ToLookup(a => a.UserId, StringComparer.Ordinal);
        return accounts.ToDictionary(a => a.Id, a => (IReadOnlyList<AllocationSummary>)[.. held[a.AccountId]]);
    }

    /// <summary>The emails of the organization's users among the accounts, in one query.</summary>
    public static async Task<Dictionary<string, string>> EmailsAsync(OrganizationsDbContext db, Guid organizationId, IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken)
    {
        var ids = accountIds.Distinct(StringComparer.Ordinal).ToList();
        return ids.Count == 0
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : await db.Memberships.AsNoTracking().Where(m => m.OrganizationId == organizationId && ids.Contains(m.AccountId))
                .ToDictionaryAsync(m => m.AccountId, m => m.Email, StringComparer.Ordinal, cancellationToken);
    }
}
