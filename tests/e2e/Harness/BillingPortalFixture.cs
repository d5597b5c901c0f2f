namespace ChaosModular.E2E.Harness;

/// <summary>
/// The portal with the demo data (<c>Seed__Demo=true</c>, seeded by Web on start-up): the demo customer with a
/// billing history of six invoices (three paid; 116.50 EUR overdue, 165.00 EUR and 115.80 USD open), a saved
/// Visa ending in 4242 and a 50.00 EUR credit. Its own database, mailbox and processes (logs billing-web.log and
/// billing-worker.log), so the payments made here never meet the other collections.
/// </summary>
public sealed class BillingPortalFixture() : PortalFixture("billing", new Dictionary<string, string>
{
    ["Seed__Demo"] = "true",
    ["Seed__DemoCustomerEmail"] = DemoCustomer.Email,
    ["Seed__DemoCustomerPassword"] = DemoCustomer.Password,
})
{
    /// <summary>The seeded customer; their billing email is the sign-in email.</summary>
    public static class DemoCustomer
    {
        public const string Email = "demo@chaosmodular.local";
        public const string Password = "DemoCustomer#2026";
        public const string BillingName = "Demo Visualisation GmbH";
        public const string VatId = "DE123456789";
    }
}

[CollectionDefinition(Name)]
public sealed class BillingPortalCollection : ICollectionFixture<BillingPortalFixture>
{
    public const string Name = "Billing portal";
}
