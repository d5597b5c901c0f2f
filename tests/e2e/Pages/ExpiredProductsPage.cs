namespace ChaosModular.E2E.Pages;

/// <summary>/products/expired: subscriptions that ended, each with Buy Again.</summary>
public sealed class ExpiredProductsPage(IPage page) : SubscriptionListPage(page, "Expired")
{
    protected override string Path => "/products/expired";

    public static async Task<ExpiredProductsPage> OpenAsync(IPage page)
    {
        var expired = new ExpiredProductsPage(page);
        await expired.GotoAsync();
        await Expect(expired.Tab("Expired Products")).ToHaveAttributeAsync("aria-current", "page");
        return expired;
    }

    public ExpiredSubscriptionRow Row(string productName) => new(RowLocator(productName));

    /// <summary>Presses Buy Again on the expired product and waits for its cart.</summary>
    public async Task<CartPage> BuyAgainAsync(string productName)
    {
        await Row(productName).BuyAgainLink.ClickAsync();
        return await CartPage.ExpectOpenAsync(Page);
    }
}

/// <summary>One row of Expired Products.</summary>
public sealed class ExpiredSubscriptionRow(ILocator row)
{
    public ILocator Locator => row;

    public ILocator ProductName => row.GetByTestId("product-name");

    public ILocator ExpiredOn => row.GetByTestId("expired-on");

    public ILocator BuyAgainLink => row.GetByTestId("buy-again");
}
