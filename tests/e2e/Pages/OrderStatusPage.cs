using System.Text.RegularExpressions;

namespace ChaosModular.E2E.Pages;

/// <summary>
/// /products/orders/{id}: an order's status, where a purchase whose payment is still unanswered goes. It says what was
/// ordered and that the payment is being confirmed, and reloads itself until the order completes or fails.
/// </summary>
public sealed partial class OrderStatusPage(IPage page, string orderId) : PortalPage(page)
{
    protected override string Path => $"/products/orders/{orderId}";

    /// <summary>The status block: its data-status is AwaitingPayment, Completed or Cancelled.</summary>
    public ILocator Status => Page.GetByTestId("order-status");
    public ILocator What => Page.GetByTestId("order-what");
    public ILocator Amount => Page.GetByTestId("order-amount");
    public ILocator Invoice => Page.GetByTestId("order-invoice");
    public ILocator Refreshing => Page.GetByTestId("refreshing");
    public ILocator OpenSubscriptionLink => Page.GetByTestId("open-subscription");

    /// <summary>Waits until the browser shows an order's status page (after confirming) and knows which order it is.</summary>
    public static async Task<OrderStatusPage> ExpectOpenAsync(IPage page)
    {
        await Expect(page).ToHaveURLAsync(Address(), new() { Timeout = 30_000 });
        var status = new OrderStatusPage(page, Address().Match(page.Url).Groups["id"].Value);
        await status.ExpectOpenAsync();
        return status;
    }

    [GeneratedRegex("/products/orders/(?<id>[0-9a-f-]{36})$")]
    private static partial Regex Address();
}
