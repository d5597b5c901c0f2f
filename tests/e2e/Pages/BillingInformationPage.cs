namespace ChaosModular.E2E.Pages;

/// <summary>/billing/information: who future invoices are made out to.</summary>
public sealed class BillingInformationPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/billing/information";

    public ILocator Name => Page.GetByLabel("Company or full name", new() { Exact = true });
    public ILocator Address => Page.GetByLabel("Address", new() { Exact = true });
    public ILocator AddressLine2 => Page.GetByLabel("Address line 2 (optional)", new() { Exact = true });
    public ILocator PostalCode => Page.GetByLabel("Postal code", new() { Exact = true });
    public ILocator City => Page.GetByLabel("City", new() { Exact = true });

    /// <summary>A select of ISO country codes.</summary>
    public ILocator Country => Page.GetByLabel("Country", new() { Exact = true });

    public ILocator BillingEmail => Page.GetByLabel("Billing email", new() { Exact = true });
    public ILocator VatId => Page.GetByLabel("VAT ID (optional)", new() { Exact = true });
    public ILocator VatError => Page.GetByTestId("vat-error");
    public ILocator SaveButton => Page.GetByRole(AriaRole.Button, new() { Name = "Save billing information", Exact = true });

    /// <summary>Shown when another page (the Buy Again cart) sent the customer here to change the details.</summary>
    public ILocator BackToOrderLink => Page.GetByTestId("back-to-order");

    public static async Task<BillingInformationPage> OpenAsync(IPage page)
    {
        var information = new BillingInformationPage(page);
        await information.GotoAsync();
        await Expect(information.SaveButton).ToBeVisibleAsync();
        return information;
    }

    public Task SaveAsync() => SaveButton.ClickAsync();
}
