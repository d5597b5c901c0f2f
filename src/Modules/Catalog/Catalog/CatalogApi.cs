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

    /// <summary>
    /// How often, at most, a process checks whether another process loaded a newer catalog (one single-row query);
    /// a load in this process replaces its in-memory catalog at once.
    /// </summary>
    public int RefreshSeconds { get; set; } = 30;
}

/// <summary>Answers from the in-memory <see cref="CatalogSnapshot"/>: no query per call once it is built.</summary>
internal sealed class CatalogApi(CatalogDbContext db, CatalogSnapshots snapshots) : ICatalogApi
{
    public async Task<IReadOnlyList<ProductFamilySummary>> FamiliesAsync(CancellationToken cancellationToken) =>
        (await snapshots.CurrentAsync(db, cancellationToken)).Families;

    public async Task<ProductSummary?> ProductAsync(string productCode, CancellationToken cancellationToken) =>
        (await snapshots.CurrentAsync(db, cancellationToken)).Products.GetValueOrDefault(productCode);

    public async Task<PlanSummary?> PlanAsync(string planCode, CancellationToken cancellationToken) =>
        (await snapshots.CurrentAsync(db, cancellationToken)).Plans.GetValueOrDefault(planCode);

    public async Task<IReadOnlyList<PlanSummary>> UpgradeTargetsAsync(string fromPlanCode, CancellationToken cancellationToken) =>
        (await snapshots.CurrentAsync(db, cancellationToken)).UpgradeTargetsOf(fromPlanCode);

    public async Task<IReadOnlyList<ProductDownloads>> DownloadsAsync(IReadOnlyCollection<string> productCodes, CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.CurrentAsync(db, cancellationToken);
        return productCodes.Distinct(StringComparer.Ordinal).Select(code => snapshot.Downloads.GetValueOrDefault(code)).OfType<ProductDownloads>()
            .OrderBy(d => d.ProductName).ToList();
    }

    public async Task<IReadOnlyList<FamilyLearning>> LearningAsync(IReadOnlyCollection<string> familyCodes, CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.CurrentAsync(db, cancellationToken);
        var wanted = familyCodes.ToHashSet(StringComparer.Ordinal);
        return snapshot.Learning.Where(f => wanted.Contains(f.FamilyCode)).ToList();
    }
}
