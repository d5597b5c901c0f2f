using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChaosModular.Catalog.Data;

/// <summary>The vendor-edited data file (<c>catalog.json</c>): families, products, plans and prices, versions and builds, upgrades.</summary>
internal sealed record CatalogFile(int Version, IReadOnlyList<CatalogFile.Family> Families, IReadOnlyList<CatalogFile.ProductEntry> Products, IReadOnlyList<CatalogFile.Upgrade> Upgrades)
{
    /// <param name="LicenseKeysBefore">Versions of the family older than this one are activated with a license key; absent when none are.</param>
    /// <param name="Learning">Learning resources for the family's products, shown first on Learning to customers who own one.</param>
    public sealed record Family(string Code, string Name, string? ServiceUrl, string? LicenseKeysBefore = null, IReadOnlyList<LearningEntry>? Learning = null)
    {
        public IReadOnlyList<LearningEntry> LearningLinks => Learning ?? [];
    }

    public sealed record LearningEntry(string Title, string Url, string? Description = null);

    /// <param name="LicenseType">A <see cref="Contracts.LicenseType"/> name; absent for a product not licensed per seat.
    /// Kept as text so an unknown name is a listed problem rather than a parse failure.</param>
    /// <param name="MaxBorrowDays">Days a floating seat can be borrowed for offline use (1..30); absent means <see cref="ProductSummary.DefaultMaxBorrowDays"/>.</param>
    public sealed record ProductEntry(string Code, string Family, string Name, int Rank, IReadOnlyList<PlanEntry> Plans, IReadOnlyList<VersionEntry> Versions,
        string? LicenseType = null, int? MaxBorrowDays = null)
    {
        public const int MinBorrowDays = 1, MaxBorrowDaysLimit = 30;

        /// <summary>The license type, or null when the entry names none or one that does not exist.</summary>
        public LicenseType? ParsedLicenseType() =>
            LicenseType is not null && Enum.GetNames<LicenseType>().Contains(LicenseType, StringComparer.Ordinal) ? Enum.Parse<LicenseType>(LicenseType) : null;

        public int BorrowDays() => MaxBorrowDays ?? ProductSummary.DefaultMaxBorrowDays;
    }

    public sealed record PlanEntry(string Code, BillingTerm Term, IReadOnlyDictionary<string, decimal> Prices);

    public sealed record VersionEntry(string Version, DateOnly ReleasedOn, IReadOnlyList<BuildEntry> Builds);

    public sealed record BuildEntry(string Os, string File, string Path, long SizeBytes);

    public sealed record Upgrade(string From, string To);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static CatalogFile Parse(string json) =>
        JsonSerializer.Deserialize<CatalogFile>(json, Json) ?? throw new InvalidDataException("The catalog file is empty.");

    /// <summary>Every problem in the file, so the vendor can fix them in one go.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var families = Families.Select(f => f.Code).ToHashSet(StringComparer.Ordinal);
        foreach (var family in Families.Where(f => f.LicenseKeysBefore is not null && ProductVersion.Parse(f.LicenseKeysBefore) is null))
        {
            problems.Add($"Family '{family.Code}' has licenseKeysBefore '{family.LicenseKeysBefore}', which is not a version number.");
        }
        foreach (var family in Families)
        {
            foreach (var link in family.LearningLinks.Where(l => string.IsNullOrWhiteSpace(l.Title) || !IsWebUrl(l.Url)))
            {
                problems.Add($"Family '{family.Code}' has learning link '{link.Title}' ({link.Url}); each needs a title and an absolute http(s) url.");
            }
        }
        var products = Products.ToDictionary(p => p.Code, StringComparer.Ordinal);
        foreach (var duplicate in Products.GroupBy(p => p.Code).Where(g => g.Count() > 1))
        {
            problems.Add($"Product code '{duplicate.Key}' appears {duplicate.Count()} times.");
        }
        foreach (var duplicate in Products.SelectMany(p => p.Plans).GroupBy(p => p.Code).Where(g => g.Count() > 1))
        {
            problems.Add($"Plan code '{duplicate.Key}' appears {duplicate.Count()} times.");
        }
        foreach (var product in Products)
        {
            if (!families.Contains(product.Family))
            {
                problems.Add($"Product '{product.Code}' names unknown family '{product.Family}'.");
            }
            if (product.LicenseType is not null && product.ParsedLicenseType() is null)
            {
                problems.Add($"Product '{product.Code}' has license type '{product.LicenseType}'; it is one of {string.Join(", ", Enum.GetNames<LicenseType>())}.");
            }
            if (product.BorrowDays() is < ProductEntry.MinBorrowDays or > ProductEntry.MaxBorrowDaysLimit)
            {
                problems.Add($"Product '{product.Code}' has maxBorrowDays {product.MaxBorrowDays}; it is {ProductEntry.MinBorrowDays} to {ProductEntry.MaxBorrowDaysLimit}.");
            }
            foreach (var plan in product.Plans)
            {
                foreach (var (currency, price) in plan.Prices)
                {
                    if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
                    {
                        problems.Add($"Plan '{plan.Code}' has price currency '{currency}', which is not an ISO 4217 code.");
                    }
                    if (price <= 0)
                    {
                        problems.Add($"Plan '{plan.Code}' has a price of {price} {currency}; prices are positive.");
                    }
                }
            }
            foreach (var version in product.Versions)
            {
                if (ProductVersion.Parse(version.Version) is null)
                {
                    problems.Add($"Product '{product.Code}' has version '{version.Version}', which is not a version number.");
                }
            }
        }
        foreach (var upgrade in Upgrades)
        {
            if (!products.TryGetValue(upgrade.From, out var from) || !products.TryGetValue(upgrade.To, out var to))
            {
                problems.Add($"Upgrade {upgrade.From} -> {upgrade.To} names an unknown product.");
            }
            else if (from.Family != to.Family || to.Rank <= from.Rank)
            {
                problems.Add($"Upgrade {upgrade.From} -> {upgrade.To} must go to a higher-ranked product of the same family.");
            }
        }
        return problems;
    }

    private static bool IsWebUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

/// <summary>
/// Loads the data file at start-up. Idempotent: a version already loaded is skipped; a newer one
/// updates rows by code, replaces prices and builds, and retires what the file no longer lists.
/// </summary>
internal sealed class CatalogLoader(CatalogDbContext db, IOptions<CatalogOptions> options, TimeProvider clock, CatalogSnapshots snapshots, ILogger<CatalogLoader> logger)
    : IModuleSeeder
{
    /// <summary>The data file's path and contents: an edited file is loaded at the next start (<see cref="SeedRecord"/>).</summary>
    public async ValueTask<string?> InputsAsync(CancellationToken cancellationToken)
    {
        var file = DataFile();
        return File.Exists(file)
            ? $"{file} {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(file, cancellationToken)))}"
            : $"{file} missing";
    }

    /// <summary>Loads <c>Catalog:DataFile</c> (relative paths are next to the binaries).</summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var file = DataFile();
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"Catalog:DataFile '{file}' does not exist.", file);
        }
        await LoadAsync(CatalogFile.Parse(await File.ReadAllTextAsync(file, cancellationToken)), cancellationToken);
    }

    private string DataFile()
    {
        var path = options.Value.DataFile;
        return Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);
    }

    public async Task<bool> LoadAsync(CatalogFile file, CancellationToken cancellationToken)
    {
        var problems = file.Problems();
        if (problems.Count > 0)
        {
            throw new InvalidDataException("The catalog file has problems:\n- " + string.Join("\n- ", problems));
        }
        var state = await db.State.SingleOrDefaultAsync(s => s.Id == 1, cancellationToken);
        if (state is not null && state.LoadedVersion >= file.Version)
        {
            return false;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var families = await db.Families.ToDictionaryAsync(f => f.Code, cancellationToken);
        foreach (var f in file.Families)
        {
            var family = families.GetValueOrDefault(f.Code) ?? db.Families.Add(new ProductFamily { Code = f.Code }).Entity;
            (family.Name, family.ServiceUrl, family.LicenseKeysBefore, family.Retired) = (f.Name, f.ServiceUrl, f.LicenseKeysBefore, false);
        }
        Retire(families.Values, file.Families.Select(f => f.Code), f => f.Code, f => f.Retired = true);
        db.LearningLinks.RemoveRange(await db.LearningLinks.ToListAsync(cancellationToken));
        db.LearningLinks.AddRange(file.Families.SelectMany(f => f.LearningLinks.Select((l, i) =>
            new LearningLink { FamilyCode = f.Code, Position = i, Title = l.Title, Description = l.Description ?? "", Url = l.Url })));

        var products = await db.Products.ToDictionaryAsync(p => p.Code, cancellationToken);
        var plans = await db.Plans.Include(p => p.Prices).ToDictionaryAsync(p => p.Code, cancellationToken);
        var versions = await db.Versions.Include(v => v.Builds).ToListAsync(cancellationToken);
        foreach (var p in file.Products)
        {
            var product = products.GetValueOrDefault(p.Code) ?? db.Products.Add(new Product { Code = p.Code }).Entity;
            (product.FamilyCode, product.Name, product.Rank, product.Retired) = (p.Family, p.Name, p.Rank, false);
            (product.LicenseType, product.MaxBorrowDays) = (p.ParsedLicenseType(), p.BorrowDays());
            foreach (var pl in p.Plans)
            {
                var plan = plans.GetValueOrDefault(pl.Code) ?? db.Plans.Add(new Plan { Code = pl.Code }).Entity;
                (plan.ProductCode, plan.Term, plan.Retired) = (p.Code, pl.Term, false);
                plan.Prices.Clear();
                plan.Prices.AddRange(pl.Prices.Select(kv => new PlanPrice { PlanCode = pl.Code, Currency = kv.Key, PricePerSeat = kv.Value }));
            }
            foreach (var v in p.Versions)
            {
                var version = versions.SingleOrDefault(x => x.ProductCode == p.Code && x.Version == v.Version)
                    ?? db.Versions.Add(new ProductVersion { ProductCode = p.Code, Version = v.Version }).Entity;
                version.ReleasedOn = v.ReleasedOn;
                version.Builds.Clear();
                version.Builds.AddRange(v.Builds.Select(b => new Build { OperatingSystem = b.Os, FileName = b.File, Path = b.Path, SizeBytes = b.SizeBytes }));
            }
        }
        Retire(products.Values, file.Products.Select(p => p.Code), p => p.Code, p => p.Retired = true);
        Retire(plans.Values, file.Products.SelectMany(p => p.Plans).Select(p => p.Code), p => p.Code, p => p.Retired = true);

        db.UpgradePaths.RemoveRange(await db.UpgradePaths.ToListAsync(cancellationToken));
        db.UpgradePaths.AddRange(file.Upgrades.Select(u => new UpgradePath { FromProductCode = u.From, ToProductCode = u.To }));

        state ??= db.State.Add(new CatalogState { Id = 1 }).Entity;
        state.LoadedVersion = file.Version;
        state.LoadedUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await snapshots.ReloadAsync(db, cancellationToken);
        logger.LogInformation("Loaded catalog version {Version}: {Products} products.", file.Version, file.Products.Count);
        return true;
    }

    private static void Retire<T>(IEnumerable<T> existing, IEnumerable<string> listed, Func<T, string> code, Action<T> retire)
    {
        var keep = listed.ToHashSet(StringComparer.Ordinal);
        foreach (var item in existing.Where(e => !keep.Contains(code(e))))
        {
            retire(item);
        }
    }
}
