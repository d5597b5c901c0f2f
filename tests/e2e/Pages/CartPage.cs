using System.Text.RegularExpressions;

namespace ChaosModular.E2E.Pages;

/// <summary>
/// /products/cart/{expiredId}, the Buy Again cart: the product at today's price, the quantity, the billing
/// information and payment method the order is billed to (each with a Change link that comes back here), and
/// Place order.
/// </summary>
public sealed partial class CartPage(IPage page, string expiredId) : PortalPage(page)
{
    protected override string Path => $"/products/cart/{expiredId}";

    public ILocator Product => Page.GetByTestId("cart-product");
    public ILocator SeatsInput => Page.GetByTestId("seats-input");
    public ILocator UpdateButton => Page.GetByTestId("update-price");

    /// <summary>The subtotal before tax, "1,100.00 EUR".</summary>
    public ILocator Total => Page.GetByTestId("cart-total");

    /// <summary>The name, address, VAT ID and billing email the invoice will be made out to.</summary>
    public ILocator BillingInformation => Page.GetByTestId("billing-information");

    public ILocator ChangeBillingInformationLink => Page.GetByTestId("change-billing-information");

    /// <summary>"Charged to your Visa •••• 4242." and a Change link.</summary>
    public ILocator PaymentMethod => Page.GetByTestId("payment-method");

    public ILocator PlaceOrderButton => Page.GetByTestId("place-order");
    public ILocator Outcome => Page.GetByTestId("order-outcome");
    public ILocator Problem => Page.GetByTestId("problem");

    /// <summary>Waits until the browser shows a cart (after Buy Again or coming back from a Change link).</summary>
    public static async Task<CartPage> ExpectOpenAsync(IPage page)
    {
        await Expect(page).ToHaveURLAsync(CartAddress());
        var cart = new CartPage(page, CartAddress().Match(page.Url).Groups["id"].Value);
        await Expect(cart.Product).ToBeVisibleAsync();
        return cart;
    }

    /// <summary>Types the quantity and presses Update; waits for the cart priced for it.</summary>
    public async Task ChangeQuantityAsync(int seats)
    {
        await SeatsInput.FillAsync(seats.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await UpdateButton.ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"{Regex.Escape(Path)}\\?seats={seats}$"));
    }

    /// <summary>Follows "Change" next to the billing information, to the billing information form.</summary>
    public async Task<BillingInformationPage> ChangeBillingInformationAsync()
    {
        await ChangeBillingInformationLink.ClickAsync();
        var information = new BillingInformationPage(Page);
        await information.ExpectOpenAsync();
        await Expect(information.SaveButton).ToBeVisibleAsync();
        return information;
    }

    /// <summary>Places the order; once paid the new subscription's offering page opens with a thank-you.</summary>
    public async Task<OfferingPage> PlaceOrderAsync()
    {
        await PlaceOrderButton.ClickAsync();
        var offering = await OfferingPage.ExpectOpenAsync(Page);
        await Expect(offering.Flash).ToContainTextAsync("Thank you for your order");
        return offering;
    }

    [GeneratedRegex(@"/products/cart/(?<id>[0-9a-f-]{36})(\?.*)?$")]
    private static partial Regex CartAddress();
}
