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

    /// <summary>The learning resources of these families (those still sold and listing some), by family name.</summary>
    Task<IReadOnlyList<FamilyLearning>> LearningAsync(IReadOnlyCollection<string> familyCodes, CancellationToken cancellationToken);
}

public sealed record FamilyLearning(string FamilyCode, string FamilyName, IReadOnlyList<LearningResource> Links);

public sealed record LearningResource(string Title, string Description, string Url);

public enum BillingTerm
{
    Monthly,
    Annual,
}

/// <summary>How seats of a product are licensed.</summary>
public enum LicenseType
{
    /// <summary>A seat any workstation of the organization can take from the pool, and borrow for offline use.</summary>
    FloatingWorkstation,

    /// <summary>A seat for a render node (distributed or network rendering).</summary>
    RenderNode,

    /// <summary>A seat tied to one named user or machine.</summary>
    FixedSeat,
}

/// <param name="LicenseKeysBefore">Versions of the family older than this one are activated with a license key; null when none are.</param>
public sealed record ProductFamilySummary(string Code, string Name, string? ServiceUrl, string? LicenseKeysBefore = null);

/// <param name="LicenseType">Null for a product not licensed per seat.</param>
/// <param name="MaxBorrowDays">How long a floating seat can be borrowed for offline use; only meaningful for <see cref="Contracts.LicenseType.FloatingWorkstation"/>.</param>
public sealed record ProductSummary(string Code, string FamilyCode, string FamilyName, string Name, int Rank, string LatestVersion,
    LicenseType? LicenseType = null, int MaxBorrowDays = ProductSummary.DefaultMaxBorrowDays)
{
    /// <summary>The borrow limit of a product whose catalog entry names none.</summary>
    public const int DefaultMaxBorrowDays = 7;
}

/// <summary>A plan: one product, one term, a price per seat in each currency it is sold in.</summary>
public sealed record PlanSummary(string Code, ProductSummary Product, BillingTerm Term, IReadOnlyList<Money> PricesPerSeat)
{
    public Money? PriceIn(string currency) => PricesPerSeat.Cast<Money?>().FirstOrDefault(p => p!.Value.Currency == currency);
}

public sealed record ProductDownloads(string ProductCode, string ProductName, string Version, DateOnly ReleasedOn, IReadOnlyList<BuildDownload> Builds);

public sealed record BuildDownload(string OperatingSystem, string FileName, string Url, long SizeBytes);
