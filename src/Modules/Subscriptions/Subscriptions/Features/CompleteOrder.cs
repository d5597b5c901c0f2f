using ChaosModular.Catalog.Contracts;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Subscriptions.Contracts.Events;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Subscriptions.Features;

/// <summary>
/// Makes a paid order take effect, once: the order is claimed (AwaitingPayment → Completed) by a
/// conditional update in the same transaction that changes the subscription, so the page that took
/// the payment and the InvoicePaid handler can both call this and only one of them applies it.
/// A concurrent change to the same subscription (its version token) retries the whole step (<see cref="Claims.RetryOnConflictAsync"/>).
/// </summary>
internal sealed class CompleteOrder(SubscriptionsDbContext db, ICatalogApi catalog, TimeProvider clock, ILogger<CompleteOrder> logger)
{
    /// <summary>True when this call applied the order; false when it was already applied or cancelled.</summary>
    public Task<bool> HandleAsync(Guid orderId, CancellationToken cancellationToken) =>
        db.RetryOnConflictAsync(async ct =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var claimed = await db.Orders
                .Where(o => o.Id == orderId && o.Status == OrderStatus.AwaitingPayment)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Completed).SetProperty(o => o.ClosedUtc, now), ct);
            if (claimed == 0)
            {
                return false;
            }
            var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId, ct);
            await ApplyAsync(order, now, ct);
            return true;
        }, cancellationToken);

    private async Task ApplyAsync(Order order, DateTime now, CancellationToken cancellationToken)
    {
        if (order.Kind == OrderKind.NewSubscription)
        {
            var plan = await catalog.PlanAsync(order.PlanCode, cancellationToken)
                ?? throw new InvalidOperationException($"Plan {order.PlanCode} is not in the catalog.");
            var started = Subscription.Start(order.Id, order.CustomerId, plan.Code, plan.Product.Code, plan.Product.FamilyCode, plan.Term.ToTerm(),
                new Money(order.PricePerSeat, order.Currency), order.Seats, DateOnly.FromDateTime(now));
            db.Subscriptions.Add(started);
            db.Publish(new SubscriptionCreated(Guid.NewGuid(), now, started.Id, started.CustomerId, started.PlanCode, started.Seats, started.RenewsOn));
            return;
        }
        var subscription = await db.Subscriptions.SingleAsync(s => s.Id == order.SubscriptionId, cancellationToken);
        switch (order.Kind)
        {
            case OrderKind.AddSeats:
                subscription.AddSeats(order.Seats);
                db.Publish(new SubscriptionSeatsChanged(Guid.NewGuid(), now, subscription.Id, subscription.CustomerId, subscription.Seats));
                break;
            case OrderKind.Upgrade when subscription.PlanCode == order.FromPlanCode:
                var target = await catalog.PlanAsync(order.PlanCode, cancellationToken)
                    ?? throw new InvalidOperationException($"Plan {order.PlanCode} is not in the catalog.");
                subscription.Upgrade(target.Code, target.Product.Code, target.Product.FamilyCode, new Money(order.PricePerSeat, order.Currency), order.Seats);
                db.Publish(new SubscriptionUpgraded(Guid.NewGuid(), now, subscription.Id, subscription.CustomerId, order.FromPlanCode!, target.Code, subscription.Seats));
                break;
            case OrderKind.Renewal when subscription.Status == SubscriptionStatus.Active && subscription.RenewsOn == order.RenewalOf:
                subscription.Renew();
                db.Publish(new SubscriptionRenewed(Guid.NewGuid(), now, subscription.Id, subscription.CustomerId, subscription.RenewsOn, subscription.Seats));
                break;
            default:
                // Paid, but the subscription moved on meanwhile (upgraded in another tab, renewed already).
                // The order stays Completed with its invoice as the record; support settles it with a credit.
                logger.LogWarning("Order {OrderId} ({Kind}) was paid but no longer applies to subscription {SubscriptionId}", order.Id, order.Kind, subscription.Id);
                break;
        }
    }
}
