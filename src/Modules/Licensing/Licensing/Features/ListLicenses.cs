using ChaosModular.Catalog.Contracts;
using ChaosModular.Organizations.Contracts;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// Licensing › Licenses: the customer's licenses with their availability, filtered by family and state, a page at a
/// time, and what their organization allocated to them. A member sees only the allocations (no personal licenses);
/// a guest sees both.
/// </summary>
internal sealed class ListLicenses(LicensingDbContext db, ICatalogApi catalog, IOrganizationsApi organizations, LicenseAllocations allocations, PageDataCache cache)
{
    public const int PageSize = 25;

    public sealed record Filter(string? Family, LicenseState? State, int Page);

    public sealed record Row(Guid Id, string ProductName, string FamilyName, string? LicenseType, int Quantity, Availability Availability, DateOnly ExpiresOn, LicenseState State);

    public sealed record Result(PagedResult<Row> Licenses, IReadOnlyList<ProductFamilySummary> Families, FromOrganization? Organization = null);

    /// <param name="IsMember">A member uses only the allocations: personal licenses are not listed.</param>
    public sealed record FromOrganization(string Name, bool IsMember, IReadOnlyList<AllocationSummary> Allocations);

    /// <summary>Kept while nothing it read changes (<see cref="PageDataCache"/>).</summary>
    public async Task<Result> HandleAsync(string customerId, Filter filter, CancellationToken cancellationToken) =>
        (await cache.GetOrReadAsync((typeof(ListLicenses), customerId, filter), c => ReadAsync(customerId, filter, c), cancellationToken))!;

    private async Task<Result?> ReadAsync(string customerId, Filter filter, CancellationToken cancellationToken)
    {
        var organization = await FromOrganizationAsync(customerId, cancellationToken);
        if (organization is { IsMember: true })
        {
            return new Result(new PagedResult<Row>([], 1, PageSize, 0), [], organization);
        }
        var query = db.Licenses.AsNoTracking().Where(l => l.CustomerId == customerId);
        if (!string.IsNullOrEmpty(filter.Family))
        {
            query = query.Where(l => l.FamilyCode == filter.Family);
        }
        if (filter.State is { } state)
        {
            query = query.Where(l => l.State == state);
        }
        var (page, size) = Paging.Normalize(filter.Page, PageSize);
        var total = await query.CountAsync(cancellationToken);
        var licenses = await query.OrderBy(l => l.State).ThenBy(l => l.ExpiresOn).ThenBy(l => l.ProductCode).ThenBy(l => l.Id)
            .Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        var families = await catalog.FamiliesAsync(cancellationToken);
        var names = await ProductNames.OfAsync(catalog, licenses.Select(l => l.ProductCode), cancellationToken);
        var rows = licenses.Select(l => new Row(l.Id, names[l.ProductCode], families.FirstOrDefault(f => f.Code == l.FamilyCode)?.Name ?? l.FamilyCode,
            l.LicenseType, l.Quantity, l.Availability, l.ExpiresOn, l.State)).ToList();
        return new Result(new PagedResult<Row>(rows, page, size, total), families, organization);
    }

    private async Task<FromOrganization?> FromOrganizationAsync(string customerId, CancellationToken cancellationToken)
    {
        if (await organizations.MembershipAsync(customerId, cancellationToken) is not { Role: OrganizationRole.Member or OrganizationRole.Guest } membership)
        {
            return null;
        }
        var held = (await allocations.HeldByAsync(customerId, cancellationToken)).Where(a => a.OrganizationId == membership.OrganizationId).ToList();
        return new FromOrganization(membership.OrganizationName, membership.Role == OrganizationRole.Member, held);
    }
}

/// <summary>Product names from the catalog, one lookup per distinct product whatever the row count.</summary>
internal static class ProductNames
{
    public static async Task<Dictionary<string, string>> OfAsync(ICatalogApi catalog, IEnumerable<string> productCodes, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var code in productCodes.Distinct(StringComparer.Ordinal))
        {
            names[code] = (await catalog.ProductAsync(code, cancellationToken))?.Name ?? code;
        }
        return names;
    }
}
