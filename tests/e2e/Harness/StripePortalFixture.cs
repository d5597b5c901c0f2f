namespace ChaosModular.E2E.Harness;

/// <summary>
/// The portal with Stripe configured against the fake Stripe (<see cref="FakeStripe"/>: Stripe's API for Web and
/// Worker, and a stand-in Stripe.js the browser loads from <c>Stripe:JsUrl</c>), so a customer types a card into
/// Stripe.js's fields and the portal charges it through Stripe. Its own processes (logs stripe-web.log,
/// stripe-worker.log) because the gateway is chosen at start-up.
/// </summary>
public sealed class StripePortalFixture : PortalFixture
{
    private readonly int _stripePort;

    public StripePortalFixture()
        : this(FreePort.Next())
    {
    }

    private StripePortalFixture(int stripePort)
        : base("stripe", StripeSettings($"http://127.0.0.1:{stripePort}"))
    {
        _stripePort = stripePort;
    }

    public FakeStripe Stripe { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Stripe = await FakeStripe.StartAsync(_stripePort);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    private static Dictionary<string, string> StripeSettings(string stripeUrl) => new()
    {
        ["Billing__Gateway"] = "Stripe",
        ["Stripe__SecretKey"] = "sk_test_e2e",
        ["Stripe__WebhookSecret"] = "whsec_e2e",
        ["Stripe__PublishableKey"] = FakeStripe.PublishableKey,
        ["Stripe__ApiBase"] = stripeUrl,
        ["Stripe__JsUrl"] = stripeUrl + "/v3/",
    };
}

[CollectionDefinition(Name)]
public sealed class StripePortalCollection : ICollectionFixture<StripePortalFixture>
{
    public const string Name = "Stripe portal";
}
