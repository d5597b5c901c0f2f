using ChaosModular.E2E.Harness;
using ChaosModular.E2E.Pages;
using ChaosModular.E2E.Seeding;

namespace ChaosModular.E2E.Journeys;

/// <summary>
/// Billing › Payment methods › Change and Remove, as the guide describes them: "the entered payment method will be saved
/// on your account and used for any unpaid invoices and future renewals".
/// </summary>
public sealed class PaymentMethodChangeJourney(PortalFixture portal, ITestOutputHelper output) : PortalTest(portal, output)
{
    [Fact]
    public Task An_overdue_invoice_is_paid_after_the_card_is_changed() => JourneyAsync(async page =>
    {
        var customer = await SeedAsync(CustomerBuilder.For()
            .WithGermanBusiness("Overdue Renders GmbH")
            .WithCard("0002")
            .WithOverdueInvoice("EUR", 116.50m));
        await (await SignInPage.OpenAsync(page)).SignInAsync(customer.Email, customer.Password);
        var invoices = await InvoicesPage.OpenAsync(page);
        var overdue = await invoices.NumberOfInvoiceWithTotalAsync("116.50 EUR");
        await Expect(invoices.Row(overdue).Status).ToHaveTextAsync("Overdue");

        var methods = await PaymentMethodsPage.OpenAsync(page);
        await methods.ChangeCardAsync("0002", "4242424242424242", 12, DateTime.UtcNow.Year + 3, "123");
        await Expect(methods.DefaultBadge("4242")).ToBeVisibleAsync();
        await Expect(methods.Card("0002")).ToHaveCountAsync(0);
        await Expect(methods.PayUnpaidOffer).ToHaveTextAsync("Pay 1 unpaid invoice now with this card");

        await methods.PayUnpaidOffer.ClickAsync();
        var pay = new PayPage(page);
        await Expect(pay.ReviewedInvoices("EUR")).ToHaveTextAsync([overdue]);
        await Expect(pay.PaymentMethod).ToContainTextAsync("Visa ending in 4242");
        await pay.PayNowAsync();
        await Expect(pay.Received).ToContainTextAsync($"Invoices {overdue} are paid.");
        invoices = await pay.GotItAsync();
        await Expect(invoices.Row(overdue).Status).ToHaveTextAsync("Paid");
        await Expect(invoices.Row(overdue).Locator.GetByTestId("paid-with")).ToHaveTextAsync("Paid with Visa ending in 4242");
    });

    [Fact]
    public Task The_only_card_stays_while_a_subscription_renews_another_is_removed_after_confirming() => JourneyAsync(async page =>
    {
        var customer = await SeedAsync(CustomerBuilder.For()
            .WithGermanBusiness("Two Cards GmbH")
            .WithCard("4242")
            .WithSubscription("vray-solo-annual", "EUR"));
        await (await SignInPage.OpenAsync(page)).SignInAsync(customer.Email, customer.Password);
        var methods = await PaymentMethodsPage.OpenAsync(page);

        await methods.RemoveLink("4242").ClickAsync();
        await Expect(methods.RemoveRefusal).ToContainTextAsync("is your only card");
        await Expect(methods.ConfirmRemoveButton).ToHaveCountAsync(0);

        methods = await PaymentMethodsPage.OpenAsync(page);
        await methods.AddCardAsync("5555555555554444", 12, DateTime.UtcNow.Year + 3, "123", makeDefault: false);
        await methods.RemoveCardAsync("4242");
        await Expect(methods.Card("4242")).ToHaveCountAsync(0);
        await Expect(methods.DefaultBadge("4444")).ToBeVisibleAsync();
        await Expect(methods.Flash).ToContainTextAsync("Mastercard ending in 4444 now pays your open invoices and renewals.");
    });
}
