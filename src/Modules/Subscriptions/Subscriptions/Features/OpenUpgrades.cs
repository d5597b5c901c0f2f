
namespace ChaosModular.Subscriptions.Features;

/// <summary>
/// Seats stay as they are while an upgrade order waits for its payment: the upgrade is priced for the seats the
/// subscription had when it was ordered, and applies only if it still has exactly those (<see cref="CompleteOrder"/>),
/// so seats added, reduced or kept meanwhile would make a paid upgrade fail to apply. Refusing the seat change up front
/// tells the customer now instead of crediting the upgrade back later.
/// </summary>
internal static class OpenUpgrades
{
    public const string Message = "An upgrade of this subscription is waiting for its payment. Change seats once the upgrade is complete.";

    public static Task<bool> AnyAsync(SubscriptionsDbContext db, Guid subscriptionId, DateTime utcNow, CancellationToken cancellationToken)
    {
        var since = utcNow - Order.UpgradeHoldsSeatsFor;
        return db.Orders.AnyAsync(o => o.SubscriptionId == subscriptionId && o.Kind == OrderKind.Upgrade && o.Status == OrderStatus.AwaitingPayment
            && o.CreatedUtc > since, cancellationToken);
    }
}
