using System.Net;
using System.Text.RegularExpressions;
using ChaosModular.Licensing.Data;
using ChaosModular.Licensing.Domain;
using ChaosModular.Licensing.Features;
using ChaosModular.Licensing.IntegrationEventHandlers;
using ChaosModular.Subscriptions.Contracts.Events;
using ChaosModular.Subscriptions.Data;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.Subscriptions;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>Licenses follow their subscriptions through the events, and the Licensing pages show them to their owner only.</summary>
public sealed partial class LicensesTests(ProductsPortalFactory factory) : IClassFixture<ProductsPortalFactory>
{
    private static readonly DateOnly March1 = new(2026, 3, 1);   // annual from here: paid until 2027-02-28

    private async Task Deliver(Func<LicenseFollowsSubscription, Task> handle)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await handle(scope.ServiceProvider.GetRequiredService<LicenseFollowsSubscription>());
    }

    private async Task<License?> LicenseOf(Guid subscriptionId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LicensingDbContext>().Licenses.AsNoTracking().SingleOrDefaultAsync(l => l.SubscriptionId == subscriptionId);
    }

    private async Task ChangeSubscription(Guid id, Action<ChaosModular.Subscriptions.Domain.Subscription> change)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SubscriptionsDbContext>();
        change(await db.Subscriptions.SingleAsync(s => s.Id == id));
        await db.SaveChangesAsync();
    }

    private static SubscriptionCreated Created(Guid id, string customer) => new(Guid.NewGuid(), DateTime.UtcNow, id, customer, "vray-solo-annual", 2, new DateOnly(2027, 3, 1));

    [Fact]
    public async Task A_subscription_gives_its_owner_a_license_with_its_seats_type_and_last_day()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);

        await Deliver(h => h.HandleAsync(Created(id, customer.UserId), CancellationToken.None));

        var license = Assert.IsType<License>(await LicenseOf(id));
        Assert.Equal((customer.UserId, "vray-solo", 2, new DateOnly(2027, 2, 28), LicenseState.Active, "FloatingWorkstation"),
            (license.CustomerId, license.ProductCode, license.Quantity, license.ExpiresOn, license.State, license.LicenseType));
        Assert.Equal(2, license.Availability.Available);
    }

    [Fact]
    public async Task An_event_delivered_twice_changes_nothing_the_second_time()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);
        var created = Created(id, customer.UserId);

        await Deliver(h => h.HandleAsync(created, CancellationToken.None));
        var first = await LicenseOf(id);
        await Deliver(h => h.HandleAsync(created, CancellationToken.None));
        var second = await LicenseOf(id);

        Assert.Equal(first!.Id, second!.Id);
        Assert.Equal(first.Version, second.Version);
        Assert.Equal(1, await Count(customer.UserId));
    }

    [Fact]
    public async Task Events_delivered_late_or_out_of_order_end_in_the_subscriptions_current_state()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);
        await ChangeSubscription(id, s => s.AddSeats(3));
        await ChangeSubscription(id, s => s.Expire());

        // The expiry arrives first, then the seat change, then the creation that came before both.
        await Deliver(h => h.HandleAsync(new SubscriptionExpired(Guid.NewGuid(), DateTime.UtcNow, id, customer.UserId), CancellationToken.None));
        await Deliver(h => h.HandleAsync(new SubscriptionSeatsChanged(Guid.NewGuid(), DateTime.UtcNow, id, customer.UserId, 5), CancellationToken.None));
        await Deliver(h => h.HandleAsync(Created(id, customer.UserId), CancellationToken.None));

        var license = await LicenseOf(id);
        Assert.Equal((5, LicenseState.Expired, 0), (license!.Quantity, license.State, license.Availability.Available));
    }

    [Fact]
    public async Task Racing_deliveries_of_one_subscription_make_one_license()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("corona-solo-annual", "EUR", 1, March1);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Deliver(h => h.HandleAsync(Created(id, customer.UserId), CancellationToken.None))));

        Assert.Equal(1, await Count(customer.UserId));
    }

    [Fact]
    public async Task The_outbox_brings_a_bought_subscription_to_the_licenses_page()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            // Seeded like the demo and the journeys: the seeder announces SubscriptionCreated through the outbox.
            await scope.ServiceProvider.GetRequiredService<ChaosModular.Subscriptions.Data.SubscriptionsSeeder>().SeedCustomerAsync(customer.UserId,
                [new SubscriptionSeed("enscape-fixed-annual", "EUR", 3, March1)], CancellationToken.None);
        }

        await Eventually.Until(async () => await Count(customer.UserId) == 1, TimeSpan.FromSeconds(30), "the license made by the event handler");
        var page = PortalClient.Decode(await customer.Client.GetPageAsync("/licensing"));
        Assert.Contains("Enscape Fixed Seat", page, StringComparison.Ordinal);
        Assert.Contains("Fixed seat", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_licenses_page_lists_availability_and_filters_by_family_and_state()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var vray = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);
        var corona = await customer.GiveSubscriptionAsync("corona-solo-monthly", "USD", 1, new DateOnly(2026, 6, 10));
        var phoenix = await customer.GiveSubscriptionAsync("phoenix-annual", "EUR", 1, new DateOnly(2025, 5, 1), autoRenew: false, expired: true);
        foreach (var id in new[] { vray, corona, phoenix })
        {
            await Deliver(h => h.HandleAsync(Created(id, customer.UserId), CancellationToken.None));
        }

        var all = PortalClient.Decode(await customer.Client.GetPageAsync("/licensing"));
        Assert.Equal(3, Rows(all));
        Assert.Contains("data-available=\"2\"", all, StringComparison.Ordinal);
        Assert.Contains("2027-02-28", all, StringComparison.Ordinal);
        Assert.Contains("href=\"https://docs.chaos.com/", all, StringComparison.Ordinal);

        var vrayOnly = PortalClient.Decode(await customer.Client.GetPageAsync("/licensing?family=vray"));
        Assert.Equal(1, Rows(vrayOnly));
        Assert.Contains("V-Ray Solo", vrayOnly, StringComparison.Ordinal);

        var expired = PortalClient.Decode(await customer.Client.GetPageAsync("/licensing?state=Expired"));
        Assert.Equal(1, Rows(expired));
        Assert.Contains("Phoenix", expired, StringComparison.Ordinal);

        var license = await LicenseOf(vray);
        var details = PortalClient.Decode(await customer.Client.GetPageAsync($"/licensing/licenses/{license!.Id}"));
        Assert.Contains("V-Ray Solo", details, StringComparison.Ordinal);
        Assert.Contains("2 seat(s)", details, StringComparison.Ordinal);
        Assert.Contains("all 2 seat(s) are free", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_customers_license_is_not_found()
    {
        var owner = await BillingCustomer.SignUpAsync(factory);
        var id = await owner.GiveSubscriptionAsync("vray-solo-annual", "EUR", 1, March1);
        await Deliver(h => h.HandleAsync(Created(id, owner.UserId), CancellationToken.None));
        var license = await LicenseOf(id);
        var stranger = await BillingCustomer.SignUpAsync(factory);

        var response = await stranger.Client.Http.GetAsync(new Uri($"/licensing/licenses/{license!.Id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, Rows(PortalClient.Decode(await stranger.Client.GetPageAsync("/licensing"))));
    }

    private async Task<int> Count(string customerId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LicensingDbContext>().Licenses.CountAsync(l => l.CustomerId == customerId);
    }

    private static int Rows(string html) => LicenseRow().Count(html);

    [GeneratedRegex("data-testid=\"license-row\"")]
    private static partial Regex LicenseRow();
}
