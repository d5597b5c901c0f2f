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
                [new("3.6", new DateOnly(2017, 1, 1), []), new("6.2", new DateOnly(2025, 1, 1), [new("Windows", "solo.exe", "/solo/6.2/solo.exe", 10)])],
                withPremium ? "FloatingWorkstation" : "FixedSeat", withPremium ? 14 : null),
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
        Assert.Equal(["enscape-fixed"], catalog.Products.Where(p => p.ParsedLicenseType() == LicenseType.FixedSeat).Select(p => p.Code));
        Assert.All(catalog.Products.Where(p => p.Code != "enscape-fixed"), p => Assert.Equal(LicenseType.FloatingWorkstation, p.ParsedLicenseType()));
        Assert.Equal([("vray", "4.1")], catalog.Families.Where(f => f.LicenseKeysBefore is not null).Select(f => (f.Code, f.LicenseKeysBefore!)));
    }

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

    [Theory]
    [InlineData("Floating", null, null, "Product 'a' has license type 'Floating'; it is one of FloatingWorkstation, RenderNode, FixedSeat.")]
    [InlineData("floatingworkstation", null, null, "Product 'a' has license type 'floatingworkstation'; it is one of FloatingWorkstation, RenderNode, FixedSeat.")]
    [InlineData("0", null, null, "Product 'a' has license type '0'; it is one of FloatingWorkstation, RenderNode, FixedSeat.")]
    [InlineData("FloatingWorkstation", 0, null, "Product 'a' has maxBorrowDays 0; it is 1 to 30.")]
    [InlineData("FloatingWorkstation", 31, null, "Product 'a' has maxBorrowDays 31; it is 1 to 30.")]
    [InlineData("FloatingWorkstation", null, "four", "Family 'fam' has licenseKeysBefore 'four', which is not a version number.")]
    public void A_bad_license_value_is_a_problem(string licenseType, int? maxBorrowDays, string? licenseKeysBefore, string problem)
    {
        var file = new CatalogFile(1, [new("fam", "Family", null, licenseKeysBefore)], [new("a", "fam", "A", 1, [], [], licenseType, maxBorrowDays)], []);

        Assert.Equal([problem], file.Problems());
    }

    [Theory]
    [InlineData(null, 1, null)]
    [InlineData("RenderNode", 30, "13")]
    [InlineData("FixedSeat", null, "4.1")]
    public void Good_license_values_are_no_problem(string? licenseType, int? maxBorrowDays, string? licenseKeysBefore) =>
        Assert.Empty(new CatalogFile(1, [new("fam", "Family", null, licenseKeysBefore)], [new("a", "fam", "A", 1, [], [], licenseType, maxBorrowDays)], []).Problems());

    [Fact]
    public void License_fields_parse_from_json_with_a_borrow_default_of_7()
    {
        var file = CatalogFile.Parse("""
            {"version": 1,
             "families": [{"code": "fam", "name": "Family", "licenseKeysBefore": "4.1"}, {"code": "cloud", "name": "Cloud"}],
             "products": [
               {"code": "a", "family": "fam", "name": "A", "rank": 1, "licenseType": "FloatingWorkstation", "maxBorrowDays": 14, "plans": [], "versions": []},
               {"code": "b", "family": "fam", "name": "B", "rank": 2, "licenseType": "RenderNode", "plans": [], "versions": []},
               {"code": "c", "family": "cloud", "name": "C", "rank": 1, "plans": [], "versions": []}],
             "upgrades": []}
            """);

        Assert.Empty(file.Problems());
        Assert.Equal(["4.1", null], file.Families.Select(f => f.LicenseKeysBefore));
        Assert.Equal(new (LicenseType?, int)[] { (LicenseType.FloatingWorkstation, 14), (LicenseType.RenderNode, 7), (null, 7) },
            file.Products.Select(p => (p.ParsedLicenseType(), p.BorrowDays())));
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
        var loaded = await db.Products.AsNoTracking().SingleAsync(p => p.Code == "solo");
        Assert.Equal((LicenseType.FloatingWorkstation, 14), (loaded.LicenseType, loaded.MaxBorrowDays));

        Assert.True(await loader.LoadAsync(Small(101, 499m, withPremium: false), CancellationToken.None));
        db.ChangeTracker.Clear();
        Assert.Equal(499m, (await db.Plans.Include(p => p.Prices).SingleAsync(p => p.Code == "solo-annual")).Prices.Single().PricePerSeat);
        Assert.True((await db.Products.SingleAsync(p => p.Code == "premium")).Retired);
        var solo = await db.Products.SingleAsync(p => p.Code == "solo");
        Assert.Equal((LicenseType.FixedSeat, 7), (solo.LicenseType, solo.MaxBorrowDays));   // updated by code; absent days default to 7
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
        var fixedSeat = await api.ProductAsync("enscape-fixed", CancellationToken.None);
        var families = await api.FamiliesAsync(CancellationToken.None);

        Assert.Equal((BillingTerm.Annual, "V-Ray", 470m), (plan!.Term, plan.Product.FamilyName, plan.PriceIn("EUR")!.Value.Amount));
        Assert.Equal("vray-premium-monthly", Assert.Single(upgrades).Code);   // same term only
        Assert.Empty(await api.UpgradeTargetsAsync("vray-enterprise-annual", CancellationToken.None));
        Assert.Equal("4.0", legacy!.LatestVersion);
        Assert.Equal((LicenseType.FloatingWorkstation, 7), (plan.Product.LicenseType, plan.Product.MaxBorrowDays));
        Assert.Equal((LicenseType.FixedSeat, 7), (fixedSeat!.LicenseType, fixedSeat.MaxBorrowDays));
        Assert.Equal("4.1", families.Single(f => f.Code == "vray").LicenseKeysBefore);
        Assert.All(families.Where(f => f.Code != "vray"), f => Assert.Null(f.LicenseKeysBefore));
        Assert.Equal(["Enscape Fixed Seat", "V-Ray Solo"], downloads.Select(d => d.ProductName));
        Assert.Equal(["Windows"], downloads[0].Builds.Select(b => b.OperatingSystem));
        Assert.StartsWith("https://download.chaos.com/vray/7.1/", downloads[1].Builds[0].Url, StringComparison.Ordinal);
    }
}
