using ChaosModular.Catalog.Contracts;
using ChaosModular.Catalog.Data;
using ChaosModular.Catalog.Domain;

namespace ChaosModular.UnitTests.Catalog;

public sealed class CatalogTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    private static CatalogFile Shipped => CatalogFile.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src/Modules/Catalog/Catalog/Data/catalog.json")));

    private static CatalogFile Small(int version, decimal soloPrice, bool withPremium = true) => new(version,
        [new("fam", "Family", null)],
        [
            new("solo", "fam", "Solo", 1, [new("solo-annual", BillingTerm.Annual, new Dictionary<string, decimal> { ["EUR"] = soloPrice })],
                [new("3.6", new DateOnly(2017, 1, 1), []), new("6.2", new DateOnly(2025, 1, 1), [new("Windows", "solo.exe", "/solo/6.2/solo.exe", 10)])]),
            .. withPremium
                ? new[] { new CatalogFile.ProductEntry("premium", "fam", "Premium", 2, [new("premium-annual", BillingTerm.Annual, new Dictionary<string, decimal> { ["EUR"] = 900m })], []) }
                : [],
        ],
        withPremium ? [new("solo", "premium")] : []);

    [Fact]
    public void The_shipped_catalog_is_valid_and_sells_every_plan_in_eur_usd_and_gbp()
    {
        var catalog = Shipped;

        Assert.Empty(catalog.Problems());
        Assert.Equal(["cloud", "corona", "enscape", "phoenix", "vantage", "vray"], catalog.Families.Select(f => f.Code).Order());
        Assert.All(catalog.Products.SelectMany(p => p.Plans), plan => Assert.Superset(new HashSet<string> { "EUR", "USD", "GBP" }, plan.Prices.Keys.ToHashSet()));
        Assert.Contains(catalog.Products, p => p.Versions.Any(v => ProductVersion.UsesLicenseKeys(v.Version)));
    }

    [Theory]
    [InlineData("3.6", true)]
    [InlineData("4.0", true)]
    [InlineData("4.1", false)]
    [InlineData("4.10", false)]
    [InlineData("13", false)]
    public void Versions_older_than_4_1_use_license_keys(string version, bool usesKey) =>
        Assert.Equal(usesKey, ProductVersion.UsesLicenseKeys(version));

    [Fact]
    public void A_broken_file_lists_every_problem()
    {
        var broken = new CatalogFile(1, [new("fam", "Family", null)],
        [
            new("a", "nofam", "A", 2, [new("a-annual", BillingTerm.Annual, new Dictionary<string, decimal> { ["eur"] = 0m })], [new("x.y", new DateOnly(2020, 1, 1), [])]),
            new("b", "fam", "B", 1, [], []),
        ], [new("a", "b"), new("a", "zzz")]);

        Assert.Equal(
        [
            "Product 'a' names unknown family 'nofam'.",
            "Plan 'a-annual' has price currency 'eur', which is not an ISO 4217 code.",
            "Plan 'a-annual' has a price of 0 eur; prices are positive.",
            "Product 'a' has version 'x.y', which is not a version number.",
            "Upgrade a -> b must go to a higher-ranked product of the same family.",
            "Upgrade a -> zzz names an unknown product.",
        ], broken.Problems());
    }

    [Fact]
    public async Task Loading_is_idempotent_and_a_newer_file_updates_prices_and_retires_what_it_dropped()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var loader = scope.ServiceProvider.GetRequiredService<CatalogLoader>();
        await db.State.ExecuteDeleteAsync();   // start from "nothing loaded" over the shipped rows

        Assert.True(await loader.LoadAsync(Small(100, 470m), CancellationToken.None));
        Assert.False(await loader.LoadAsync(Small(100, 999m), CancellationToken.None));   // same version: untouched
        Assert.Equal(470m, (await db.Plans.AsNoTracking().Include(p => p.Prices).SingleAsync(p => p.Code == "solo-annual")).Prices.Single().PricePerSeat);

        Assert.True(await loader.LoadAsync(Small(101, 499m, withPremium: false), CancellationToken.None));
        db.ChangeTracker.Clear();
        Assert.Equal(499m, (await db.Plans.Include(p => p.Prices).SingleAsync(p => p.Code == "solo-annual")).Prices.Single().PricePerSeat);
        Assert.True((await db.Products.SingleAsync(p => p.Code == "premium")).Retired);
        Assert.True((await db.Products.SingleAsync(p => p.Code == "vray-solo")).Retired);   // not in the small file
        Assert.Empty(await db.UpgradePaths.ToListAsync());

        // Back to the shipped catalog for the other tests.
        var shipped = Shipped with { Version = 102 };
        Assert.True(await loader.LoadAsync(shipped, CancellationToken.None));
    }

    [Fact]
    public async Task The_api_answers_plans_upgrades_and_downloads_from_the_loaded_catalog()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var api = scope.ServiceProvider.GetRequiredService<ICatalogApi>();

        var plan = await api.PlanAsync("vray-solo-annual", CancellationToken.None);
        var upgrades = await api.UpgradeTargetsAsync("vray-solo-monthly", CancellationToken.None);
        var legacy = await api.ProductAsync("vray-next-workstation", CancellationToken.None);
        var downloads = await api.DownloadsAsync(["vray-solo", "enscape-fixed"], CancellationToken.None);

        Assert.Equal((BillingTerm.Annual, "V-Ray", 470m), (plan!.Term, plan.Product.FamilyName, plan.PriceIn("EUR")!.Value.Amount));
        Assert.Equal("vray-premium-monthly", Assert.Single(upgrades).Code);   // same term only
        Assert.Empty(await api.UpgradeTargetsAsync("vray-enterprise-annual", CancellationToken.None));
        Assert.True(legacy!.LatestVersionUsesLicenseKey);
        Assert.Equal(["Enscape Fixed Seat", "V-Ray Solo"], downloads.Select(d => d.ProductName));
        Assert.Equal(["Windows"], downloads[0].Builds.Select(b => b.OperatingSystem));
        Assert.StartsWith("https://download.chaos.com/vray/7.1/", downloads[1].Builds[0].Url, StringComparison.Ordinal);
    }
}
