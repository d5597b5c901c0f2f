namespace ChaosModular.E2E.Pages;

/// <summary>
/// /billing/pay: first the review (one card per currency: invoices, credits applied first, amount to charge;
/// the payment method; "Pay now"), then, once paid, the outcome of each currency.
/// </summary>
public sealed class PayPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/billing/pay";

    /// <summary>The review card of one currency ("EUR").</summary>
    public ILocator Review(string currency) => Page.GetByTestId($"review-{currency}");

    /// <summary>All the review cards shown, one per currency.</summary>
    public ILocator Reviews => Page.Locator("[data-testid^='review-']");

    /// <summary>The invoice numbers of one currency's review.</summary>
    public ILocator ReviewedInvoices(string currency) => Review(currency).Locator("tbody tr td:first-child");

    /// <summary>"− 50.00 EUR".</summary>
    public ILocator CreditApplied(string currency) => Review(currency).GetByTestId("credit-applied");

    public ILocator ToCharge(string currency) => Review(currency).GetByTestId("to-charge");

    /// <summary>"Visa ending in 4242, expires 12/2028".</summary>
    public ILocator PaymentMethod => Page.GetByTestId("payment-method");

    public ILocator PayNowButton => Page.GetByTestId("confirm-payment");

    public ILocator Result => Page.GetByTestId("payment-result");

    /// <summary>One "Payment received" box per currency paid.</summary>
    public ILocator Received => Result.GetByRole(AriaRole.Status).Filter(new() { HasText = "Payment received" });

    /// <summary>One alert per currency whose payment was not completed.</summary>
    public ILocator Declined => Result.GetByRole(AriaRole.Alert);

    /// <summary>The gateway's reason, one per declined currency ("Your card was declined.").</summary>
    public ILocator DeclineReasons => Result.GetByTestId("decline-reason");

    public ILocator GotItLink => Result.GetByRole(AriaRole.Link, new() { Name = "Got it", Exact = true });

    /// <summary>Waits until the browser shows the review with its "Pay now" button.</summary>
    public static async Task<PayPage> ExpectReviewAsync(IPage page)
    {
        var pay = new PayPage(page);
        await pay.ExpectOpenAsync();
        await Expect(pay.Page.GetByRole(AriaRole.Heading, new() { Name = "Review your payment" })).ToBeVisibleAsync();
        await Expect(pay.PayNowButton).ToBeVisibleAsync();
        return pay;
    }

    /// <summary>Presses "Pay now" and waits for the outcome (paid or declined).</summary>
    public async Task PayNowAsync()
    {
        await PayNowButton.ClickAsync();
        await Expect(Result).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    public async Task<InvoicesPage> GotItAsync()
    {
        await GotItLink.ClickAsync();
        var invoices = new InvoicesPage(Page);
        await invoices.ExpectOpenAsync();
        return invoices;
    }
}
