namespace ChaosModular.E2E.Harness;

/// <summary>
/// The portal with the demo data for the Products journeys: the demo customer's subscriptions (V-Ray Premium
/// annual EUR, 3 seats, renewing in 20 days; V-Ray Solo annual USD, 2 seats; Corona Solo monthly EUR; V-Ray Next
/// Workstation annual EUR with a licence key and auto-renewal off; Enscape Fixed Seat monthly USD, 2 seats;
/// Phoenix annual EUR and Chaos Vantage annual USD expired), with the same billing history as
/// <see cref="BillingPortalFixture"/>. Its own database and processes (logs products-web.log and
/// products-worker.log): the orders placed here add invoices that the Billing journeys must not see.
/// </summary>
public sealed class ProductsPortalFixture() : PortalFixture("products", BillingPortalFixture.DemoSettings());

[CollectionDefinition(Name)]
public sealed class ProductsPortalCollection : ICollectionFixture<ProductsPortalFixture>
{
    public const string Name = "Products portal";
}
