using ChaosModular.E2E.Harness;
using ChaosModular.E2E.Pages;
using ChaosModular.E2E.Seeding;

namespace ChaosModular.E2E.Journeys;

/// <summary>
/// The guide's pending purchases: a purchase whose payment the payment service has not answered waits on its own status
/// page (what was ordered, "being confirmed", refreshing itself); when the answer comes, the page shows the order complete
/// and the customer is emailed.
/// </summary>
public sealed class PendingPurchaseJourney(PortalFixture portal, ITestOutputHelper output) : PortalTest(portal, output)
{
    /// <summary>The Simulated gateway's "no answer" card: a charge's first attempt times out, asked again it pays.</summary>
    private const string UnansweredCard = "0119";

    [Fact]
    public Task An_unanswered_purchase_waits_on_its_status_page_which_shows_it_complete_once_the_payment_is_confirmed() => JourneyAsync(async page =>
    {
        var support = await SeedAsync(CustomerBuilder.For("pending-purchase-support").AsSupport());
        var customer = await SeedAsync(CustomerBuilder.For()
            .WithGermanBusiness("Slow Answer Renders GmbH")
            .WithCard(UnansweredCard)
            .WithSubscription("vray-solo-annual", "EUR", seats: 2, activatedDaysAgo: 100));
        var products = await ProductsJourney.SignInAsync(page, customer);
        var offering = await products.OpenOnlyRowAsync();
        var addSeats = await offering.OpenAddSeatsAsync();
        await addSeats.QuoteAsync(3);
        var price = (await addSeats.ProratedPrice.InnerTextAsync()).Trim();

        var status = await addSeats.ConfirmExpectingPendingAsync();

        await Expect(status.Status).ToHaveAttributeAsync("data-status", "AwaitingPayment");
        await Expect(status.Status).ToContainTextAsync("Your payment is being confirmed.");
        await Expect(status.Status).ToContainTextAsync("we email you when it completes or fails");
        await Expect(status.What).ToHaveTextAsync("3 added seat(s) of V-Ray Solo");
        await Expect(status.Amount).ToHaveTextAsync(price);
        await Expect(status.Invoice).ToContainTextAsync("INV-");
        await Expect(status.Refreshing).ToBeVisibleAsync();

        // Support runs the unanswered-payments job now instead of waiting for its five-minute run; this time the payment service answers.
        var desk = await NewBrowserSessionAsync();
        await (await SignInPage.OpenAsync(desk)).SignInAsync(support.Email, support.Password);
        await (await HangfireRecurringJobsPage.OpenAsync(desk)).TriggerNowAsync("billing-pending-payments");

        // The customer's page refreshes itself (the journey does not reload it) and shows the order complete.
        await Expect(status.Status).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 60_000 });
        await Expect(status.Status).ToContainTextAsync("Done: your order is complete.");
        await Expect(status.Refreshing).ToHaveCountAsync(0);
        var email = await Mailbox.WaitForAsync(customer.Email, "Your order is complete");
        Assert.Contains("3 added seat(s) of V-Ray Solo", email.Text, StringComparison.Ordinal);
        Assert.Contains($"{price} before tax", email.Text, StringComparison.Ordinal);

        await status.OpenSubscriptionLink.ClickAsync();
        offering = await OfferingPage.ExpectOpenAsync(page);
        await Expect(offering.Seats).ToHaveTextAsync("5");
        await Expect(offering.Order("3 added seat(s)")).ToContainTextAsync("Done");
    });
}
