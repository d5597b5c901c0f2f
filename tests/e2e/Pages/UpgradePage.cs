namespace ChaosModular.E2E.Pages;

/// <summary>
/// /products/{id}/upgrade: the product to upgrade to, the quantity (fewer than the current seats move to a new subscription), the review with
/// the prorated difference, and confirm to pay and switch. A product without an upgrade path gets only the refusal.
/// </summary>
public sealed class UpgradePage(IPage page, string subscriptionId) : PortalPage(page)
{
    protected override string Path => $"/products/{subscriptionId}/upgrade";

    /// <summary>A select of the offered products: "V-Ray Premium (699.00 USD per seat per year)".</summary>
    public ILocator TargetChoice => Page.GetByTestId("upgrade-target");

    public ILocator SeatsInput => Page.GetByTestId("seats-input");
    public ILocator UpdatePriceButton => Page.GetByTestId("update-price");

    /// <summary>The review's "After the upgrade": "2 × V-Ray Premium at 699.00 USD".</summary>
    public ILocator Target => Page.GetByTestId("target");

    /// <summary>The prorated difference before tax: "332.52 USD".</summary>
    public ILocator ProratedPrice => Page.GetByTestId("prorated-price");

    public ILocator PaymentMethod => Page.GetByTestId("payment-method");

    /// <summary>A partial upgrade's seats that stay: "3 × V-Ray Solo at 470.00 USD".</summary>
    public ILocator StayingSeats => Page.GetByTestId("seats-staying");

    /// <summary>Sets the quantity and asks for the price again (fewer seats than the subscription has: a partial upgrade).</summary>
    public async Task ChooseSeatsAsync(int seats)
    {
        await SeatsInput.FillAsync(seats.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await UpdatePriceButton.ClickAsync();
        await Expect(Target).ToContainTextAsync($"{seats} ×");
    }

    /// <summary>"Upgrade and pay 332.52 USD".</summary>
    public ILocator ConfirmButton => Page.GetByTestId("confirm-upgrade");

    public ILocator Outcome => Page.GetByTestId("order-outcome");

    /// <summary>Why this subscription cannot be upgraded ("V-Ray Enterprise has no upgrade.").</summary>
    public ILocator Problem => Page.GetByTestId("problem");

    public static async Task<UpgradePage> OpenAsync(IPage page, string subscriptionId)
    {
        var upgrade = new UpgradePage(page, subscriptionId);
        await upgrade.GotoAsync();
        await Expect(upgrade.Heading).ToContainTextAsync("Upgrade");
        return upgrade;
    }

    /// <summary>Confirms; once paid the offering page opens with the confirmation.</summary>
    public async Task<OfferingPage> ConfirmAsync()
    {
        await ConfirmButton.ClickAsync();
        var offering = await OfferingPage.ExpectOpenAsync(Page);
        await Expect(offering.Flash).ToContainTextAsync("Upgraded.");
        return offering;
    }
}
