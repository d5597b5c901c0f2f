namespace ChaosModular.E2E.Pages;

/// <summary>
/// /products, the Active Products tab and where the portal opens after sign-in: every active subscription with
/// its seats, renewal date, auto-renewal, payment method and licence key; filters in the address.
/// </summary>
public sealed class ActiveProductsPage(IPage page) : SubscriptionListPage(page, "Expires")
{
    protected override string Path => "/products";

    public static async Task<ActiveProductsPage> OpenAsync(IPage page)
    {
        var products = new ActiveProductsPage(page);
        await products.GotoAsync();
        await Expect(products.Heading).ToHaveTextAsync("Products");
        return products;
    }

    /// <summary>The row of the one active subscription of this product ("V-Ray Solo").</summary>
    public ActiveSubscriptionRow Row(string productName) => new(RowLocator(productName));

    /// <summary>The row of one subscription, by its id (what the offering page's address carries).</summary>
    public ActiveSubscriptionRow RowOf(string subscriptionId) =>
        new(Table.Locator($"[data-testid='subscription-row'][data-subscription='{subscriptionId}']"));

    /// <summary>Every row shown, top to bottom (soonest renewal first).</summary>
    public async Task<IReadOnlyList<ActiveSubscriptionRow>> AllRowsAsync() =>
        (await Rows.AllAsync()).Select(row => new ActiveSubscriptionRow(row)).ToList();

    /// <summary>Follows the product's name to its offering page.</summary>
    public async Task<OfferingPage> OpenAsync(string productName)
    {
        await Row(productName).ProductName.ClickAsync();
        return await OfferingPage.ExpectOpenAsync(Page);
    }

    /// <summary>Follows the only row shown (after a filter that leaves one) to its offering page.</summary>
    public async Task<OfferingPage> OpenOnlyRowAsync()
    {
        await Expect(Rows).ToHaveCountAsync(1);
        await new ActiveSubscriptionRow(Rows).ProductName.ClickAsync();
        return await OfferingPage.ExpectOpenAsync(Page);
    }
}

/// <summary>One row of Active Products.</summary>
public sealed class ActiveSubscriptionRow(ILocator row)
{
    public ILocator Locator => row;

    /// <summary>The product's name, a link to its offering page.</summary>
    public ILocator ProductName => row.GetByTestId("product-name");

    /// <summary>"V-Ray · 470.00 USD per seat per year", under the name.</summary>
    public ILocator FamilyAndPrice => row.Locator("td").First.Locator("div.small").First;

    public ILocator Seats => row.GetByTestId("seats");

    /// <summary>"Annual · EUR".</summary>
    public ILocator Term => row.Locator("td").Nth(2);

    public ILocator RenewsOn => row.GetByTestId("renews-on");

    /// <summary>"On", or "Off" with "Ends yyyy-MM-dd".</summary>
    public ILocator AutoRenewal => row.GetByTestId("auto-renewal");

    public ILocator PaymentMethod => row.GetByTestId("payment-method");

    public ILocator LicenseKey => row.GetByTestId("license-key");

    public async Task<string> ReadIdAsync() => (await row.GetAttributeAsync("data-subscription"))!;

    /// <summary>The date in the Renews / expires column (without the "payment due" badge).</summary>
    public async Task<DateOnly> ReadRenewsOnAsync() => Dates.Parse((await RenewsOn.InnerTextAsync()).Trim()[..10]);
}
