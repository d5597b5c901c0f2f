using Microsoft.Extensions.Options;

namespace ChaosModular.Catalog;

/// <summary>The <c>Catalog</c> section.</summary>
public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>The data file; relative paths are under the application's folder.</summary>
    public string DataFile { get; set; } = "catalog.json";

    /// <summary>Where build paths in the data file are downloaded from.</summary>
    public string DownloadBaseUrl { get; set; } = "https://download.chaos.com";
}

internal sealed class CatalogApi(CatalogDbContext db, IOptions<CatalogOptions> options) : ICatalogApi
{
    public async Task<IReadOnlyList<ProductFamilySummary>> FamiliesAsync(CancellationToken cancellationToken) =>
        await db.Families.AsNoTracking().Where(f => !f.Retired).OrderBy(f => f.Name)
            .Select(f => new ProductFamilySummary(f.Code, f.Name, f.ServiceUrl, f.LicenseKeysBefore)).ToListAsync(cancellationToken);

    public async Task<ProductSummary?> ProductAsync(string productCode, CancellationToken cancellationToken) =>
        (await ProductsAsync([productCode], cancellationToken)).SingleOrDefault();

    public async Task<PlanSummary?> PlanAsync(string planCode, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.AsNoTracking().Include(p => p.Prices).SingleOrDefaultAsync(p => p.Code == planCode, cancellationToken);
        if (plan is null)
        {
            return null;
        }
        var product = await ProductAsync(plan.ProductCode, cancellationToken);
        return product is null ? null : ToSummary(plan, product);
    }

    public async Task<IReadOnlyList<PlanSummary>> UpgradeTargetsAsync(string fromPlanCode, CancellationToken cancellationToken)
    {
        var from = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Code == fromPlanCode, cancellationToken);
        if (from is null)
        {
            return [];
        }
        var targets = await db.UpgradePaths.AsNoTracking().Where(u => u.FromProductCode == from.ProductCode).Select(u => u.ToProductCode).ToListAsync(cancellationToken);
        var plans = await db.Plans.AsNoTracking().Include(p => p.Prices)
            .Where(p => targets.Contains(p.ProductCode) && p.Term == from.Term && !p.Retired)
            .ToListAsync(cancellationToken);
        var products = (await ProductsAsync(targets, cancellationToken)).ToDictionary(p => p.Code);
        return plans.Where(p => products.ContainsKey(p.ProductCode)).Select(p => ToSummary(p, products[p.ProductCode])).OrderBy(p => p.Product.Rank).ToList();
    }

    public async Task<IReadOnlyList<ProductDownloads>> DownloadsAsync(IReadOnlyCollection<string> productCodes, CancellationToken cancellationToken)
    {
        var baseUrl = options.Value.DownloadBaseUrl.TrimEnd('/');
        var names = await db.Products.AsNoTracking().Where(p => productCodes.Contains(p.Code)).ToDictionaryAsync(p => p.Code, p => p.Name, cancellationToken);
        var versions = await db.Versions.AsNoTracking().Include(v => v.Builds).Where(v => productCodes.Contains(v.ProductCode)).ToListAsync(cancellationToken);
        return versions.GroupBy(v => v.ProductCode)
            .Select(g => g.OrderByDescending(v => ProductVersion.Parse(v.Version)).First())
            .Select(v => new ProductDownloads(v.ProductCode, names.GetValueOrDefault(v.ProductCode, v.ProductCode), v.Version, v.ReleasedOn,
                v.Builds.OrderBy(b => b.OperatingSystem).Select(b => new BuildDownload(b.OperatingSystem, b.FileName, baseUrl + b.Path, b.SizeBytes)).ToList()))
            .OrderBy(d => d.ProductName)
            .ToList();
    }

    private async Task<IReadOnlyList<ProductSummary>> ProductsAsync(IReadOnlyCollection<string> codes, CancellationToken cancellationToken)
    {
        var products = await db.Products.AsNoTracking().Where(p => codes.Contains(p.Code)).ToListAsync(cancellationToken);
        var familyCodes = products.Select(p => p.FamilyCode).Distinct().ToList();
        var families = await db.Families.AsNoTracking().Where(f => familyCodes.Contains(f.Code)).ToDictionaryAsync(f => f.Code, f => f.Name, cancellationToken);
        var versions = await db.Versions.AsNoTracking().Where(v => codes.Contains(v.ProductCode)).Select(v => new { v.ProductCode, v.Version }).ToListAsync(cancellationToken);
        return products.Select(p =>
        {
            var latest = versions.Where(v => v.ProductCode == p.Code).Select(v => v.Version).OrderByDescending(ProductVersion.Parse).FirstOrDefault() ?? "";
            return new ProductSummary(p.Code, p.FamilyCode, families.GetValueOrDefault(p.FamilyCode, p.FamilyCode), p.Name, p.Rank, latest,
                p.LicenseType, p.MaxBorrowDays);
        }).ToList();
    }

    private static PlanSummary ToSummary(Plan plan, ProductSummary product) =>
        new(plan.Code, product, plan.Term, plan.Prices.OrderBy(p => p.Currency, StringComparer.Ordinal).Select(p => new Money(p.PricePerSeat, p.Currency)).ToList());
}
