using ChaosModular.Catalog.Contracts;
using ChaosModular.Catalog.Data;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.Subscriptions;

namespace ChaosModular.UnitTests.Catalog;

/// <summary>The guide's catalog: a newer file that no longer lists an item retires it, and subscriptions keep resolving it.</summary>
public sealed class RetiredCatalogItemTests
{
    [Fact]
    public async Task A_product_and_family_dropped_from_the_file_are_no_longer_sold_but_an_existing_subscription_still_shows_them()
    {
        await using var factory = new SqlitePortalFactory();
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vantage-annual", "EUR", 2);
        var shipped = CatalogFile.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "src/Modules/Catalog/Catalog/Data/catalog.json")));
        var withoutVantage = shipped with
        {
            Version = shipped.Version + 1,
            Families = [.. shipped.Families.Where(f => f.Code != "vantage")],
            Products = [.. shipped.Products.Where(p => p.Code != "vantage")],
        };

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<CatalogLoader>().LoadAsync(withoutVantage, CancellationToken.None));
            var catalog = scope.ServiceProvider.GetRequiredService<ICatalogApi>();
            Assert.DoesNotContain(await catalog.FamiliesAsync(CancellationToken.None), f => f.Code == "vantage");   // no longer sold
            var plan = await catalog.PlanAsync("vantage-annual", CancellationToken.None);
            Assert.Equal(("Chaos Vantage", "Chaos Vantage"), (plan?.Product.Name, plan?.Product.FamilyName));
        }

        var list = PortalClient.Decode(await customer.Client.GetPageAsync("/products"));
        Assert.Contains("product-name\">Chaos Vantage<", list, StringComparison.Ordinal);
        var details = PortalClient.Decode(await customer.Client.GetPageAsync($"/products/{id}"));
        Assert.Contains("data-testid=\"product-title\">Chaos Vantage<", details, StringComparison.Ordinal);
        Assert.Contains("<dt class=\"col-sm-5\">Product family</dt><dd class=\"col-sm-7\">Chaos Vantage</dd>", details, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"seats\">2", details);
    }
}
