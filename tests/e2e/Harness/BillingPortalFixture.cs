namespace ChaosModular.E2E.Harness;

/// <summary>
/// The portal with the demo data (<c>Seed__Demo=true</c>, seeded by Web on start-up): the demo customer with a
/// billing history of six invoices (three paid; 116.50 EUR overdue, 165.00 EUR and 115.80 USD open), a saved
/// Visa ending in 4242 and a 50.00 EUR credit. Its own database, mailbox and processes (logs billing-web.log and
/// billing-worker.log), so the payments made here never meet the other collections.
/// </summary>
public sealed class BillingPortalFixture() : PortalFixture("billing", DemoSettings())
{
    /// <summary>
    /// Settings that make Web seed the demo data (the demo customer's billing history and subscriptions, the
    /// support user), plus <paramref name="more"/>; every portal with the demo customer starts from these.
    /// </summary>
    public static Dictionary<string, string> DemoSettings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            ["Seed__Demo"] = "true",
            ["Seed__DemoCustomerEmail"] = DemoCustomer.Email,
            ["Seed__DemoCustomerPassword"] = DemoCustomer.Password,
            ["Seed__SupportEmail"] = SupportUser.Email,
            ["Seed__SupportPassword"] = SupportUser.Password,
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>The seeded customer; their billing email is the sign-in email.</summary>
    public static class DemoCustomer
    {
        public const string Email = "demo@chaosmodular.local";
        public const string Password = "DemoCustomer#2026";
        public const string BillingName = "Demo Visualisation GmbH";
        public const string VatId = "DE123456789";
    }

    /// <summary>The seeded support desk user, who may open the Hangfire dashboard.</summary>
    public static class SupportUser
    {
        public const string Email = "support@chaosmodular.local";
        public const string Password = "SupportDesk#2026";
    }
}

[CollectionDefinition(Name)]
public sealed class BillingPortalCollection : ICollectionFixture<BillingPortalFixture>
{
    public const string Name = "Billing portal";
}
