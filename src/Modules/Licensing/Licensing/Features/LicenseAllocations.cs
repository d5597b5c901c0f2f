using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Licensing.Features;

/// <summary>Reads allocations for the organization's pages and for their holders, with product names from the catalog.</summary>
internal sealed class LicenseAllocations(LicensingDbContext db, ICatalogApi catalog, TimeProvider clock)
{
    /// <summary>Active: not ended, and its last day not passed (the lapse job ends those within a minute).</summary>
    private IQueryable<Allocation> Active()
    {
        var today = clock.Today();
        return db.Allocations.AsNoTracking().Where(a => a.EndedUtc == null && a.ExpiresOn >= today);
    }

    public async Task<IReadOnlyList<AllocationSummary>> OfUsersAsync(string accountId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        var rows = await Active().Where(a => a.CustomerId == accountId && ids.Contains(a.UserId))
            .OrderBy(a => a.UserId).ThenBy(a => a.CreatedUtc).ToListAsync(cancellationToken);
        return await SummariesAsync(db, catalog, rows, cancellationToken);
    }

    public async Task<PagedResult<AllocationSummary>> OfAccountAsync(string accountId, int page, int pageSize, CancellationToken cancellationToken)
    {
        var query = Active().Where(a => a.CustomerId == accountId);
        var (p, size) = Paging.Normalize(page, pageSize);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(a => a.LicenseId).ThenByDescending(a => a.CreatedUtc).ThenBy(a => a.Id)
            .Skip((p - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new PagedResult<AllocationSummary>(await SummariesAsync(db, catalog, rows, cancellationToken), p, size, total);
    }

    public async Task<IReadOnlyList<AllocationSummary>> HeldByAsync(string userId, CancellationToken cancellationToken)
    {
        var rows = await Active().Where(a => a.UserId == userId).OrderBy(a => a.ExpiresOn).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        return await SummariesAsync(db, catalog, rows, cancellationToken);
    }

    /// <summary>Two queries whatever the count: the licenses of the rows, then one catalog lookup per distinct product.</summary>
    public static async Task<IReadOnlyList<AllocationSummary>> SummariesAsync(LicensingDbContext db, ICatalogApi catalog, IReadOnlyList<Allocation> allocations, CancellationToken cancellationToken)
    {
        if (allocations.Count == 0)
        {
            return [];
        }
        var licenseIds = allocations.Select(a => a.LicenseId).Distinct().ToList();
        var licenses = await db.Licenses.AsNoTracking().Where(l => licenseIds.Contains(l.Id))
            .Select(l => new { l.Id, l.ProductCode, l.LicenseType }).ToDictionaryAsync(l => l.Id, cancellationToken);
        var names = await ProductNames.OfAsync(catalog, licenses.Values.Select(l => l.ProductCode), cancellationToken);
        return [.. allocations.Select(a => new AllocationSummary(a.Id, a.LicenseId, a.OrganizationId, a.CustomerId, a.UserId,
            licenses[a.LicenseId].ProductCode, names[licenses[a.LicenseId].ProductCode], licenses[a.LicenseId].LicenseType, a.Seats, a.ExpiresOn, a.CreatedUtc))];
    }
}
