namespace ChaosModular.Subscriptions.Contracts;

/// <summary>
/// The Products pages' addresses for links from other modules and from emails. The pages' <c>@page</c>
/// templates say the same; inside Subscriptions the pages link to each other by page name.
/// </summary>
public static class SubscriptionsRoutes
{
    public const string Active = "/products";
    public const string Expired = "/products/expired";
    public const string Downloads = "/products/downloads";

    public static string Details(Guid subscriptionId) => $"/products/{subscriptionId}";

    /// <summary>An order's status page: what was ordered and where its payment stands (a purchase whose payment is still unanswered goes there).</summary>
    public static string Order(Guid orderId) => $"/products/orders/{orderId}";

    public static string Upgrade(Guid subscriptionId) => $"/products/{subscriptionId}/upgrade";

    /// <summary>Buy Again: an expired subscription's plan in the cart.</summary>
    public static string Cart(Guid subscriptionId) => $"/products/cart/{subscriptionId}";

    /// <summary>One product's builds, the visitor's operating system first: where a subscription's Download button goes.</summary>
    public static string DownloadsFor(string productCode) => $"{Downloads}/{Uri.EscapeDataString(productCode)}";

    /// <summary>The Downloads page at a product's section.</summary>
    public static string DownloadsOf(string productCode) => $"{Downloads}#{Uri.EscapeDataString(productCode)}";
}
