using ChaosModular.Catalog.Contracts;
using ChaosModular.Catalog.Data;
using ChaosModular.Catalog.Domain;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Catalog;

/// <summary>A portal whose clock a test moves, with every module's SQL commands recordable.</summary>
public sealed class CatalogPortalFactory : SqlitePortalFactory
{
    public CatalogPortalFactory()
    {
        Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        With("Catalog:RefreshSeconds", "30");
        TestServices = SqlCommandCounter.AddTo;
    }

    public SqlCommandCounter Counter => Services.GetRequiredService<SqlCommandCounter>();
}

/// <summary>The catalog API answers from memory: what the data file says, no SQL once warm, and a newer catalog at once (this process) or within Catalog:RefreshSeconds (another).</summary>
public sealed class CatalogSnapshotTests(CatalogPortalFactory factory) : IClassFixture<CatalogPortalFactory>
{
    private static CatalogFile Shipped => CatalogFile.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src/Modules/Catalog/Catalog/Data/catalog.json")));

    private async Task<T> WithApi<T>(Func<ICatalogApi, Task<T>> call)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<ICatalogApi>());
    }

    [Fact]
    public async Task Every_answer_matches_the_data_file_and_a_warm_catalog_runs_no_SQL()
    {
        var file = Shipped;
        await WithApi(api => api.FamiliesAsync(CancellationToken.None));

        var commands = factory.Counter.Watch();
        foreach (var entry in file.Products)
        {
            var product = await WithApi(api => api.ProductAsync(entry.Code, CancellationToken.None));
            Assert.Equal((entry.Name, entry.Family, entry.Rank, entry.ParsedLicenseType(), entry.BorrowDays()),
                (product!.Name, product.FamilyCode, product.Rank, product.LicenseType, product.MaxBorrowDays));
            foreach (var planEntry in entry.Plans)
            {
                var plan = await WithApi(api => api.PlanAsync(planEntry.Code, CancellationToken.None));
                Assert.Equal(planEntry.Prices.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)),
                    plan!.PricesPerSeat.Select(p => (p.Currency, p.Amount)));
                var targets = file.Upgrades.Where(u => u.From == entry.Code).Select(u => u.To).ToHashSet();
                Assert.Equal(file.Products.Where(p => targets.Contains(p.Code)).SelectMany(p => p.Plans).Where(p => p.Term == planEntry.Term).Select(p => p.Code).Order(),
                    (await WithApi(api => api.UpgradeTargetsAsync(planEntry.Code, CancellationToken.None))).Select(p => p.Code).Order());
            }
        }
        var downloads = await WithApi(api => api.DownloadsAsync([.. file.Products.Select(p => p.Code)], CancellationToken.None));
        Assert.Equal(file.Products.Count(p => p.Versions.Count > 0), downloads.Count);
        Assert.Equal(file.Families.Select(f => f.Code).Order(), (await WithApi(api => api.FamiliesAsync(CancellationToken.None))).Select(f => f.Code).Order());

        Assert.Empty(commands);
    }

    [Fact]
    public async Task A_catalog_loaded_here_is_served_at_once_and_one_loaded_elsewhere_within_the_refresh_time()
    {
        var before = (await WithApi(api => api.PlanAsync("vray-solo-annual", CancellationToken.None)))!.PriceIn("EUR")!.Value.Amount;
        int version;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            version = await db.State.Select(s => s.LoadedVersion).SingleAsync();
            var newer = Shipped with
            {
                Version = version + 1,
                Products = [.. Shipped.Products.Select(p => p.Code != "vray-solo" ? p : p with
                {
                    Plans = [.. p.Plans.Select(pl => pl.Code != "vray-solo-annual" ? pl : pl with { Prices = new Dictionary<string, decimal>(pl.Prices) { ["EUR"] = before + 10m } })],
                })],
            };
            Assert.True(await scope.ServiceProvider.GetRequiredService<CatalogLoader>().LoadAsync(newer, CancellationToken.None));
        }
        Assert.Equal(before + 10m, (await WithApi(api => api.PlanAsync("vray-solo-annual", CancellationToken.None)))!.PriceIn("EUR")!.Value.Amount);

        // Another process loads a newer version: the tables and the version change under this process.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            await db.Set<PlanPrice>().Where(p => p.PlanCode == "vray-solo-annual" && p.Currency == "EUR").ExecuteUpdateAsync(s => s.SetProperty(p => p.PricePerSeat, before));
            await db.State.ExecuteUpdateAsync(s => s.SetProperty(x => x.LoadedVersion, version + 2));
        }
        var clock = (FakeTimeProvider)factory.Clock!;
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(before + 10m, (await WithApi(api => api.PlanAsync("vray-solo-annual", CancellationToken.None)))!.PriceIn("EUR")!.Value.Amount);
        clock.Advance(TimeSpan.FromSeconds(21));
        Assert.Equal(before, (await WithApi(api => api.PlanAsync("vray-solo-annual", CancellationToken.None)))!.PriceIn("EUR")!.Value.Amount);
    }
}
