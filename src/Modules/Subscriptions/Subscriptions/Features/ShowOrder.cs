using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Subscriptions.Features;

/// <summary>
/// One of the customer's orders as its status page shows it (<c>/products/orders/{id}</c>): what was ordered, for how much,
/// and where its payment stands. Another customer's order is not found.
/// </summary>
internal sealed class ShowOrder(SubscriptionsDbContext db, ICatalogApi catalog)
{
    /// <param name="What">The order in words ("2 added seat(s) of V-Ray Solo").</param>
    /// <param name="ResultId">The subscription to open once the order took effect: the one it made (Buy Again, a partial upgrade) or changed.</param>
    public sealed record View(Order Order, string What, Guid? ResultId)
    {
        public Money Amount => new(Order.Amount, Order.Currency);
        public bool AwaitingPayment => Order.Status == OrderStatus.AwaitingPayment;
        public bool Applied => Order.Status == OrderStatus.Completed && Order.NotAppliedReason is null;
    }

    public async Task<View?> HandleAsync(string customerId, Guid orderId, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orderId && o.CustomerId == customerId, cancellationToken);
        if (order is null)
        {
            return null;
        }
        var what = Describe(order, (await catalog.PlanAsync(order.PlanCode, cancellationToken))?.Product.Name ?? order.PlanCode);
        return new View(order, what, ResultOf(order));
    }

    /// <summary>The order in words, for its status page and its emails.</summary>
    public static string Describe(Order order, string productName) => order.Kind switch
    {
        OrderKind.AddSeats => $"{order.Seats} added seat(s) of {productName}",
        OrderKind.Upgrade when order.IsPartialUpgrade => $"Upgrade of {order.Seats} of {order.FromSeats} seat(s) to {productName}",
        OrderKind.Upgrade => $"Upgrade of {order.Seats} seat(s) to {productName}",
        OrderKind.Renewal => $"Renewal of {productName} on {order.RenewalOf:yyyy-MM-dd}, {order.Seats} seat(s)",
        _ => $"{productName}, {order.Seats} seat(s), a new subscription",
    };

    /// <summary>Where the customer finds what a completed order did: the subscription it made, or the one it changed.</summary>
    public static Guid? ResultOf(Order order) =>
        order.Status != OrderStatus.Completed ? order.SubscriptionId
        : order.NotAppliedReason is not null ? order.SubscriptionId
        : order.Kind == OrderKind.NewSubscription || order.IsPartialUpgrade ? order.Id
        : order.SubscriptionId;
}
