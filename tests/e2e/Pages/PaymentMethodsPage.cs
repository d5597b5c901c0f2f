namespace ChaosModular.E2E.Pages;

/// <summary>/billing/payment-methods: the saved cards (the default pays invoices and renewals) and "Add a card".</summary>
public sealed class PaymentMethodsPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/billing/payment-methods";

    public ILocator List => Page.GetByTestId("payment-methods");

    public ILocator Cards => List.GetByRole(AriaRole.Listitem);

    /// <summary>The saved card "… ending in <paramref name="last4"/>".</summary>
    public ILocator Card(string last4) => Cards.Filter(new() { HasText = $"ending in {last4}" });

    /// <summary>The "Default" badge, on exactly one card.</summary>
    public ILocator DefaultBadge(string last4) => Card(last4).GetByText("Default", new() { Exact = true });

    public ILocator MakeDefaultButton(string last4) => Card(last4).GetByRole(AriaRole.Button, new() { Name = "Make default", Exact = true });

    public ILocator CardNumber => Page.GetByLabel("Card number", new() { Exact = true });
    public ILocator ExpiryMonth => Page.GetByLabel("Expiry month", new() { Exact = true });
    public ILocator ExpiryYear => Page.GetByLabel("Expiry year", new() { Exact = true });
    public ILocator SecurityCode => Page.GetByLabel("Security code (CVC)", new() { Exact = true });
    public ILocator UseForPayments => Page.GetByLabel("Use this card for payments and renewals", new() { Exact = true });
    /// <summary>With Stripe: the expiry field of Stripe.js's card fields (number and security code share the labels above).</summary>
    public ILocator StripeExpiry => Page.GetByLabel("Expiry date (MM / YY)", new() { Exact = true });

    /// <summary>With Stripe: what Stripe.js says about the card typed in (a refused card), under its fields.</summary>
    public ILocator CardErrors => Page.Locator("[data-card-errors]");

    public ILocator SaveCardButton => Page.GetByRole(AriaRole.Button, new() { Name = "Save card", Exact = true });

    public static async Task<PaymentMethodsPage> OpenAsync(IPage page)
    {
        var methods = new PaymentMethodsPage(page);
        await methods.GotoAsync();
        await Expect(methods.SaveCardButton).ToBeVisibleAsync();
        return methods;
    }

    /// <summary>Adds a card (by default as the default one) and waits for the confirmation.</summary>
    public async Task AddCardAsync(string number, int expiryMonth, int expiryYear, string cvc, bool makeDefault = true)
    {
        await CardNumber.FillAsync(number);
        await ExpiryMonth.FillAsync(expiryMonth.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ExpiryYear.FillAsync(expiryYear.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await SecurityCode.FillAsync(cvc);
        await UseForPayments.SetCheckedAsync(makeDefault);
        await SaveCardButton.ClickAsync();
        await Expect(Flash).ToContainTextAsync($"ending in {number[^4..]} was saved");
    }

    /// <summary>With Stripe: types the card into Stripe.js's fields and presses Save card (the result is the caller's to check).</summary>
    public async Task TypeIntoStripeAndSaveAsync(string number, string expiry, string cvc)
    {
        await CardNumber.FillAsync(number);
        await StripeExpiry.FillAsync(expiry);
        await SecurityCode.FillAsync(cvc);
        await SaveCardButton.ClickAsync();
    }

    /// <summary>Presses "Make default" on a saved card and waits for the confirmation.</summary>
    public async Task MakeDefaultAsync(string last4)
    {
        await MakeDefaultButton(last4).ClickAsync();
        await Expect(Flash).ToContainTextAsync($"ending in {last4} now pays your open invoices and renewals");
    }

    /// <summary>A card's Change link: the card form replacing it.</summary>
    public ILocator ChangeLink(string last4) => Card(last4).GetByRole(AriaRole.Link, new() { Name = "Change" });

    /// <summary>A card's Remove link: the confirmation, or why it cannot be removed.</summary>
    public ILocator RemoveLink(string last4) => Card(last4).GetByRole(AriaRole.Link, new() { Name = "Remove" });

    public ILocator ReplacingHeading => Page.GetByTestId("replacing");

    public ILocator ReplaceCardButton => Page.GetByRole(AriaRole.Button, new() { Name = "Replace card", Exact = true });

    /// <summary>The removal's confirmation (or its refusal).</summary>
    public ILocator RemoveConfirmation => Page.GetByTestId("remove-card");

    public ILocator ConfirmRemoveButton => Page.GetByRole(AriaRole.Button, new() { Name = "Remove card", Exact = true });

    public ILocator RemoveRefusal => Page.GetByTestId("remove-refused");

    /// <summary>"Pay N unpaid invoices now with this card", offered after a card is saved or made default.</summary>
    public ILocator PayUnpaidOffer => Page.GetByTestId("pay-unpaid");

    /// <summary>Change on a saved card: types the new card into the portal's form and presses Replace card; waits for the confirmation.</summary>
    public async Task ChangeCardAsync(string last4, string number, int expiryMonth, int expiryYear, string cvc)
    {
        await ChangeLink(last4).ClickAsync();
        await Expect(ReplacingHeading).ToContainTextAsync($"ending in {last4}");
        await CardNumber.FillAsync(number);
        await ExpiryMonth.FillAsync(expiryMonth.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ExpiryYear.FillAsync(expiryYear.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await SecurityCode.FillAsync(cvc);
        await ReplaceCardButton.ClickAsync();
        await Expect(Flash).ToContainTextAsync($"ending in {number[^4..]} replaced");
    }

    /// <summary>Remove on a saved card, confirmed; waits for the confirmation that it is gone.</summary>
    public async Task RemoveCardAsync(string last4)
    {
        await RemoveLink(last4).ClickAsync();
        await Expect(RemoveConfirmation).ToContainTextAsync($"ending in {last4}?");
        await ConfirmRemoveButton.ClickAsync();
        await Expect(Flash).ToContainTextAsync($"ending in {last4} was removed");
    }
}
