using System.Text.RegularExpressions;

namespace ChaosModular.E2E.Pages;

/// <summary>
/// /products/{id}/add-seats: choose how many seats to add, Update price for the prorated price, then confirm to
/// pay with the default payment method. A decline or a refusal keeps the customer here with the reason.
/// </summary>
public sealed class AddSeatsPage(IPage page, string subscriptionId) : PortalPage(page)
{
    protected override string Path => $"/products/{subscriptionId}/add-seats";

    public ILocator SeatsInput => Page.GetByTestId("seats-input");
    public ILocator UpdatePriceButton => Page.GetByTestId("update-price");

    /// <summary>"53.23 EUR", before tax.</summary>
    public ILocator ProratedPrice => Page.GetByTestId("prorated-price");

    /// <summary>"Charged to your Visa •••• 4242." and a Change link.</summary>
    public ILocator PaymentMethod => Page.GetByTestId("payment-method");

    /// <summary>"Add 2 seat(s) and pay 53.23 EUR".</summary>
    public ILocator ConfirmButton => Page.GetByTestId("confirm-add-seats");

    /// <summary>Why the order did not go through (a decline, a changed price), after confirming.</summary>
    public ILocator Outcome => Page.GetByTestId("order-outcome");

    /// <summary>Why seats cannot be added now (an invalid quantity, a renewal in progress).</summary>
    public ILocator Problem => Page.GetByTestId("problem");

    /// <summary>Types the quantity and presses Update price; waits for the page quoting it.</summary>
    public async Task QuoteAsync(int seats)
    {
        await SeatsInput.FillAsync(seats.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await UpdatePriceButton.ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"{Regex.Escape(Path)}\\?seats={seats}$"));
    }

    /// <summary>Confirms the order; once paid the offering page opens with the confirmation.</summary>
    public async Task<OfferingPage> ConfirmAsync()
    {
        await ConfirmButton.ClickAsync();
        var offering = await OfferingPage.ExpectOpenAsync(Page);
        await Expect(offering.Flash).ToContainTextAsync("seat(s) added.");
        return offering;
    }

    /// <summary>Confirms an order whose payment the payment service does not answer: the order's status page opens.</summary>
    public async Task<OrderStatusPage> ConfirmExpectingPendingAsync()
    {
        await ConfirmButton.ClickAsync();
        return await OrderStatusPage.ExpectOpenAsync(Page);
    }

    /// <summary>Confirms an order that will not go through: the page comes back with the outcome.</summary>
    public async Task ConfirmExpectingNoChangeAsync()
    {
        await ConfirmButton.ClickAsync();
        await Expect(Outcome).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await ExpectOpenAsync();
    }
}
