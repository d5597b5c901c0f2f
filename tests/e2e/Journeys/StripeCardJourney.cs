using System.Collections.Concurrent;
using ChaosModular.E2E.Harness;
using ChaosModular.E2E.Pages;
using ChaosModular.E2E.Seeding;

namespace ChaosModular.E2E.Journeys;

/// <summary>
/// With Stripe as the gateway (the fake Stripe and its stand-in Stripe.js), a customer types a card into Stripe.js's
/// fields in Chromium: the card goes from the browser to Stripe, never to the portal, and then pays an invoice through
/// Stripe.
/// </summary>
public sealed class StripeCardJourney(StripePortalFixture portal, ITestOutputHelper output) : StripePortalTest(portal, output)
{
    /// <summary>The card numbers of this journey as a browser would send them: digits, spaces, form or URL encoded.</summary>
    private static readonly string[] CardNumbersAsSent = ["4242424242424242", "4242+4242", "4242%204242", "4242 4242", "4000000000000069", "4000+0000", "4000 0000"];

    [Fact]
    public Task A_card_typed_into_Stripes_fields_never_reaches_the_portal_and_pays_an_invoice_through_Stripe() => JourneyAsync(async page =>
    {
        var customer = await SeedAsync(CustomerBuilder.For()
            .WithGermanBusiness("Stripe Studio GmbH")
            .WithOpenInvoice("EUR", 165m));
        // Everything the browser sends to the portal (address and body), to show that no card number is among it.
        var toPortal = new ConcurrentQueue<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.StartsWith(Portal.BaseUrl.ToString(), StringComparison.Ordinal))
            {
                toPortal.Enqueue(request.Url + "\n" + request.PostData);
            }
        };
        await (await SignInPage.OpenAsync(page)).SignInAsync(customer.Email, customer.Password);
        var methods = await PaymentMethodsPage.OpenAsync(page);
        await Expect(methods.List).ToHaveCountAsync(0);

        // A card Stripe refuses: Stripe's message under its fields, nothing saved.
        await methods.TypeIntoStripeAndSaveAsync("4000 0000 0000 0069", "12 / 30", "123");
        await Expect(methods.CardErrors).ToHaveTextAsync("Your card has expired.");
        await Expect(methods.SaveCardButton).ToBeEnabledAsync();
        await Expect(methods.List).ToHaveCountAsync(0);

        // Corrected in the same fields: the same setup is confirmed again, and the saved card is the default.
        await methods.TypeIntoStripeAndSaveAsync("4242 4242 4242 4242", "12 / 30", "123");
        await Expect(methods.Flash).ToHaveTextAsync("Visa ending in 4242 was saved and is now your default payment method.");
        await Expect(methods.DefaultBadge("4242")).ToBeVisibleAsync();
        Assert.Single(Portal.Stripe.RequestsTo("POST", "/v1/setup_intents"));
        var confirmations = Portal.Stripe.Requests.Where(r => r.Path.EndsWith("/confirm", StringComparison.Ordinal)).ToList();
        Assert.Equal(["4000 0000 0000 0069", "4242 4242 4242 4242"], confirmations.Select(r => r["payment_method_data[card][number]"]));
        Assert.All(confirmations, r => Assert.Equal(FakeStripe.PublishableKey, r["key"]));
        Assert.NotEmpty(toPortal);
        foreach (var sent in toPortal)
        {
            foreach (var typed in CardNumbersAsSent)
            {
                Assert.DoesNotContain(typed, sent, StringComparison.Ordinal);
            }
        }

        // The card pays an open invoice through Stripe: a PaymentIntent of 165.00 EUR on that payment method.
        var invoices = await InvoicesPage.OpenAsync(page);
        var number = await invoices.NumberOfInvoiceWithTotalAsync("165.00 EUR");
        var pay = await invoices.PayAsync(number);
        await Expect(pay.PaymentMethod).ToContainTextAsync("Visa ending in 4242");
        await pay.PayNowAsync();
        await Expect(pay.Received).ToContainTextAsync("Charged: 165.00 EUR.");
        var intent = Assert.Single(Portal.Stripe.RequestsTo("POST", "/v1/payment_intents"), r => r.Form.GetValueOrDefault("description")?.Contains(number, StringComparison.Ordinal) == true);
        Assert.Equal(("16500", "eur"), (intent["amount"], intent["currency"]));
        Assert.StartsWith("pm_", intent["payment_method"], StringComparison.Ordinal);
    });
}
