using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Licensing.Features;

/// <summary>Licensing › Licenses: the customer's licenses with their availability, filtered by family and state, a page at a time.</summary>
internal sealed class ListLicenses(LicensingDbContext db, ICatalogApi catalog)
{
    public const int PageSize = 25;

    public sealed record Filter(string? Family, LicenseState? State, int Page);

    public sealed record Row(Guid Id, string ProductName, string FamilyName, string? LicenseType, int Quantity, Availability Availability, DateOnly ExpiresOn, LicenseState State);

    public sealed record Result(PagedResult<Row> Licenses, IReadOnlyList<ProductFamilySummary> Families);

    public async Task<Result> HandleAsync(string customerId, Filter filter, CancellationToken cancellationToken)
    {
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
        return new Result(new PagedResult<Row>(rows, page, size, total), families);
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
