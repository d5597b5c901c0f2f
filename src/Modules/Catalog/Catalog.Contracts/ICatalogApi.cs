using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Catalog.Contracts;

/// <summary>Product lookups for Subscriptions, Licensing and the Products pages.</summary>
public interface ICatalogApi
{
    Task<IReadOnlyList<ProductFamilySummary>> FamiliesAsync(CancellationToken cancellationToken);

    Task<ProductSummary?> ProductAsync(string productCode, CancellationToken cancellationToken);

    Task<PlanSummary?> PlanAsync(string planCode, CancellationToken cancellationToken);

    /// <summary>The plans a product can be upgraded to, with the same term as <paramref name="fromPlanCode"/>.</summary>
    Task<IReadOnlyList<PlanSummary>> UpgradeTargetsAsync(string fromPlanCode, CancellationToken cancellationToken);

    /// <summary>The latest version of each product with its downloadable builds.</summary>
    Task<IReadOnlyList<ProductDownloads>> DownloadsAsync(IReadOnlyCollection<string> productCodes, CancellationToken cancellationToken);
}

public enum BillingTerm
{
    Monthly,
    Annual,
}

public sealed record ProductFamilySummary(string Code, string Name, string? ServiceUrl);

public sealed record ProductSummary(string Code, string FamilyCode, string FamilyName, string Name, int Rank, string LatestVersion, bool LatestVersionUsesLicenseKey);

/// <summary>A plan: one product, one term, a price per seat in each currency it is sold in.</summary>
public sealed record PlanSummary(string Code, ProductSummary Product, BillingTerm Term, IReadOnlyList<Money> PricesPerSeat)
{
    public Money? PriceIn(string currency) => PricesPerSeat.Cast<Money?>().FirstOrDefault(p => p!.Value.Currency == currency);
}

public sealed record ProductDownloads(string ProductCode, string ProductName, string Version, DateOnly ReleasedOn, IReadOnlyList<BuildDownload> Builds);

public sealed record BuildDownload(string OperatingSystem, string FileName, string Url, long SizeBytes);
