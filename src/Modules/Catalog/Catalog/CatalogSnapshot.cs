using ChaosModular.Modules.Abstractions;
using Microsoft.Extensions.Options;

namespace ChaosModular.Catalog;

/// <summary>
/// The whole catalog as the API answers it, built once from the Catalog tables. The catalog is read-only data
/// loaded from the data file, so every lookup is answered from memory; a snapshot never changes, a newer
/// loaded version replaces it (<see cref="CatalogSnapshots"/>).
/// </summary>
internal sealed class CatalogSnapshot
{
    private static readonly IReadOnlyList<PlanSummary> NoPlans = [];

    private CatalogSnapshot(int version, IReadOnlyList<ProductFamilySummary> families, IReadOnlyDictionary<string, ProductSummary> products,
        IReadOnlyDictionary<string, PlanSummary> plans, IReadOnlyDictionary<string, IReadOnlyList<PlanSummary>> upgradeTargets,
        IReadOnlyDictionary<string, ProductDownloads> downloads, IReadOnlyList<FamilyLearning> learning)
    {
        Learning = learning;
        Version = version;
        Families = families;
        Products = products;
        Plans = plans;
        UpgradeTargets = upgradeTargets;
        Downloads = downloads;
    }

    /// <summary>The loaded catalog version it was built from (<c>CatalogState.LoadedVersion</c>); 0 when none was loaded.</summary>
    public int Version { get; }

    /// <summary>Families still sold, by name.</summary>
    public IReadOnlyList<ProductFamilySummary> Families { get; }

    /// <summary>Every product, retired ones too: old subscriptions still name them.</summary>
    public IReadOnlyDictionary<string, ProductSummary> Products { get; }

    /// <summary>Every plan, retired ones too.</summary>
    public IReadOnlyDictionary<string, PlanSummary> Plans { get; }

    public IReadOnlyList<PlanSummary> UpgradeTargetsOf(string planCode) => UpgradeTargets.GetValueOrDefault(planCode) ?? NoPlans;

    /// <summary>The latest version of each product that has one, with its builds.</summary>
    public IReadOnlyDictionary<string, ProductDownloads> Downloads { get; }

    /// <summary>The learning resources of the families still sold that list some, by family name.</summary>
    public IReadOnlyList<FamilyLearning> Learning { get; }

    private IReadOnlyDictionary<string, IReadOnlyList<PlanSummary>> UpgradeTargets { get; }

    /// <summary>Reads the tables in a fixed handful of queries and builds the snapshot.</summary>
    public static async Task<CatalogSnapshot> BuildAsync(CatalogDbContext db, string downloadBaseUrl, CancellationToken cancellationToken)
    {
        var version = await db.State.AsNoTracking().Where(s => s.Id == 1).Select(s => (int?)s.LoadedVersion).SingleOrDefaultAsync(cancellationToken) ?? 0;
        var families = await db.Families.AsNoTracking().ToListAsync(cancellationToken);
        var productRows = await db.Products.AsNoTracking().ToListAsync(cancellationToken);
        var planRows = await db.Plans.AsNoTracking().Include(p => p.Prices).ToListAsync(cancellationToken);
        var paths = await db.UpgradePaths.AsNoTracking().ToListAsync(cancellationToken);
        var versions = await db.Versions.AsNoTracking().Include(v => v.Builds).ToListAsync(cancellationToken);
        var learningLinks = await db.LearningLinks.AsNoTracking().ToListAsync(cancellationToken);

        var familyNames = families.ToDictionary(f => f.Code, f => f.Name, StringComparer.Ordinal);
        var latest = versions.GroupBy(v => v.ProductCode, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(v => Domain.ProductVersion.Parse(v.Version)).First(), StringComparer.Ordinal);
        var products = productRows.ToDictionary(p => p.Code, p => new ProductSummary(p.Code, p.FamilyCode, familyNames.GetValueOrDefault(p.FamilyCode, p.FamilyCode),
            p.Name, p.Rank, latest.GetValueOrDefault(p.Code)?.Version ?? "", p.LicenseType, p.MaxBorrowDays), StringComparer.Ordinal);
        var plans = planRows.Where(p => products.ContainsKey(p.ProductCode)).ToDictionary(p => p.Code, p => new PlanSummary(p.Code, products[p.ProductCode], p.Term,
            p.Prices.OrderBy(x => x.Currency, StringComparer.Ordinal).Select(x => new Money(x.PricePerSeat, x.Currency)).ToList()), StringComparer.Ordinal);

        var targetsOfProduct = paths.ToLookup(u => u.FromProductCode, u => u.ToProductCode, StringComparer.Ordinal);
        var upgradeTargets = planRows.ToDictionary(from => from.Code, from =>
        {
            var targets = targetsOfProduct[from.ProductCode].ToHashSet(StringComparer.Ordinal);
            return (IReadOnlyList<PlanSummary>)planRows
                .Where(p => targets.Contains(p.ProductCode) && p.Term == from.Term && !p.Retired && plans.ContainsKey(p.Code))
                .Select(p => plans[p.Code]).OrderBy(p => p.Product.Rank).ToList();
        }, StringComparer.Ordinal);

        var baseUrl = downloadBaseUrl.TrimEnd('/');
        var downloads = latest.Values.ToDictionary(v => v.ProductCode, v => new ProductDownloads(v.ProductCode,
            products.GetValueOrDefault(v.ProductCode)?.Name ?? v.ProductCode, v.Version, v.ReleasedOn,
            v.Builds.OrderBy(b => b.OperatingSystem).Select(b => new BuildDownload(b.OperatingSystem, b.FileName, baseUrl + b.Path, b.SizeBytes)).ToList()),
            StringComparer.Ordinal);

        var sold = families.Where(f => !f.Retired).OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => new ProductFamilySummary(f.Code, f.Name, f.ServiceUrl, f.LicenseKeysBefore)).ToList();
        var linksOf = learningLinks.ToLookup(l => l.FamilyCode, StringComparer.Ordinal);
        var learning = sold.Where(f => linksOf[f.Code].Any()).Select(f => new FamilyLearning(f.Code, f.Name,
            [.. linksOf[f.Code].OrderBy(l => l.Position).Select(l => new LearningResource(l.Title, l.Description, l.Url))])).ToList();
        return new CatalogSnapshot(version, sold, products, plans, upgradeTargets, downloads, learning);
    }
}

/// <summary>
/// Holds the current <see cref="CatalogSnapshot"/> for the process. It is built on first use, replaced at once after
/// this process loads a newer data file, and otherwise checked against the loaded version (one single-row query) at
/// most every <see cref="CatalogOptions.RefreshSeconds"/>, so another process's load shows within that window.
/// Page data kept by <see cref="PageDataCache"/> counts as read from the catalog when it asked for the snapshot, and is
/// dropped when the snapshot is replaced.
/// </summary>
internal sealed class CatalogSnapshots(IOptions<CatalogOptions> options, TimeProvider clock, DataVersions versions) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile CatalogSnapshot? _current;
    private long _checkedTicks;

    public async ValueTask<CatalogSnapshot> CurrentAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        DataReads.Record(versions, CatalogDbContext.Schema);
        var current = _current;
        if (current is not null && !CheckDue())
        {
            return current;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            current = _current;
            if (current is not null && !CheckDue())
            {
                return current;
            }
            if (current is not null)
            {
                var loaded = await db.State.AsNoTracking().Where(s => s.Id == 1).Select(s => (int?)s.LoadedVersion).SingleOrDefaultAsync(cancellationToken) ?? 0;
                if (loaded == current.Version)
                {
                    MarkChecked();
                    return current;
                }
            }
            return await RebuildLockedAsync(db, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Rebuilds from the tables now: the loader calls it after a load so this process never serves the old catalog.</summary>
    public async Task<CatalogSnapshot> ReloadAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await RebuildLockedAsync(db, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<CatalogSnapshot> RebuildLockedAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        var snapshot = await CatalogSnapshot.BuildAsync(db, options.Value.DownloadBaseUrl, cancellationToken);
        _current = snapshot;
        versions.Changed(CatalogDbContext.Schema);
        MarkChecked();
        return snapshot;
    }

    private bool CheckDue()
    {
        var elapsed = clock.GetUtcNow().UtcTicks - Interlocked.Read(ref _checkedTicks);
        return elapsed < 0 || elapsed >= TimeSpan.FromSeconds(Math.Max(1, options.Value.RefreshSeconds)).Ticks;
    }

    public void Dispose() => _gate.Dispose();

    private void MarkChecked() => Interlocked.Exchange(ref _checkedTicks, clock.GetUtcNow().UtcTicks);
}
