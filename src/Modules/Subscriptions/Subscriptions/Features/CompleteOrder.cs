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
            var subscription = order.Kind != OrderKind.NewSubscription && order.SubscriptionId is { } subscriptionId
                ? await db.Subscriptions.SingleAsync(s => s.Id == subscriptionId, ct)
                : null;
            await ApplyAsync(order, subscription, now, ct);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Makes many paid orders take effect in one unit of work (the renewal run's batch): one claim of the orders, one read of
    /// their subscriptions, one save. On a concurrency conflict (a subscription changed meanwhile) nothing of the batch is
    /// kept and each order is completed on its own (<see cref="HandleAsync"/>). Returns the orders this call applied.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> HandleManyAsync(IReadOnlyList<Guid> orderIds, CancellationToken cancellationToken)
    {
        if (orderIds.Count == 0)
        {
            return [];
        }
        db.ChangeTracker.Clear();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            try
            {
                var now = clock.GetUtcNow().UtcDateTime;
                // The completion takes the orders over with its own claim id, so that it reads back exactly the orders it completed
                // (an InvoicePaid handler may complete some of them meanwhile).
                var completion = Guid.NewGuid();
                await db.Orders
                    .Where(o => orderIds.Contains(o.Id) && o.Status == OrderStatus.AwaitingPayment)
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Completed).SetProperty(o => o.ClosedUtc, now).SetProperty(o => o.ClaimId, completion), cancellationToken);
                var orders = await db.Orders.AsNoTracking().Where(o => orderIds.Contains(o.Id) && o.ClaimId == completion).OrderBy(o => o.CreatedUtc).ToListAsync(cancellationToken);
                var subscriptionIds = orders.Where(o => o.Kind != OrderKind.NewSubscription && o.SubscriptionId is not null).Select(o => o.SubscriptionId!.Value).Distinct().ToList();
                var subscriptions = await db.Subscriptions.Where(s => subscriptionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
                foreach (var order in orders)
                {
                    await ApplyAsync(order, order.SubscriptionId is { } id ? subscriptions.GetValueOrDefault(id) : null, now, cancellationToken);
                }
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return orders.Select(o => o.Id).ToList();
            }
            catch (DbUpdateConcurrencyException)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }
        var applied = new List<Guid>();
        foreach (var orderId in orderIds)
        {
            try
            {
                if (await HandleAsync(orderId, cancellationToken))
                {
                    applied.Add(orderId);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Paid order {OrderId} could not be completed; the InvoicePaid handler or the next run completes it", orderId);
            }
            db.ChangeTracker.Clear();
        }
        return applied;
    }

    /// <summary>For the customer, with the credit and in its email: which payment, and what changed before it arrived.</summary>
    private static string WhyNotApplied(Order order, Subscription subscription)
    {
        var paid = order.InvoiceNumber is { } number ? $"Invoice {number}" : "Your order";
        return order.Kind switch
        {
            OrderKind.Upgrade when subscription.PlanCode == order.FromPlanCode && order.IsPartialUpgrade =>
                $"{paid}: the upgrade was for {order.Seats} of the subscription's {order.FromSeats} seat(s), but it had {subscription.Seats} when it was paid, so it was not applied.",
            OrderKind.Upgrade when subscription.PlanCode == order.FromPlanCode =>
                $"{paid}: the upgrade was priced for {order.FromSeats} seat(s), but the subscription had {subscription.Seats} when it was paid, so it was not applied.",
            OrderKind.Upgrade or OrderKind.AddSeats =>
                $"{paid}: the subscription was upgraded before this payment arrived, so the order was not applied.",
            _ => $"{paid}: the subscription was renewed or had ended before this payment arrived, so the renewal was not applied.",
        };
    }

    private async Task ApplyAsync(Order order, Subscription? subscription, DateTime now, CancellationToken cancellationToken)
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
        if (subscription is null)
        {
            throw new InvalidOperationException($"Order {order.Id} ({order.Kind}) has no subscription.");
        }
        switch (order.Kind)
        {
            // Priced at the plan's price per seat: after an upgrade meanwhile they would be seats of the dearer plan at the old price.
            case OrderKind.AddSeats when subscription.PlanCode == order.PlanCode:
                subscription.AddSeats(order.Seats);
                db.Publish(new SubscriptionSeatsChanged(Guid.NewGuid(), now, subscription.Id, subscription.CustomerId, subscription.Seats));
                break;
            // A partial upgrade, priced as the difference for its own seats only: it applies while the subscription still has more seats
            // than it moves. Two of them racing both read the same seats; the version token makes the second save fail, and its retry
            // reads the seats the first one left (so no more seats move than there are).
            case OrderKind.Upgrade when order.IsPartialUpgrade
                && subscription.PlanCode == order.FromPlanCode && subscription.Status == SubscriptionStatus.Active && subscription.Seats > order.Seats:
                var partialTarget = await catalog.PlanAsync(order.PlanCode, cancellationToken)
                    ?? throw new InvalidOperationException($"Plan {order.PlanCode} is not in the catalog.");
                var moved = subscription.MoveSeatsTo(order.Id, order.Seats, partialTarget.Code, partialTarget.Product.Code, partialTarget.Product.FamilyCode,
                    new Money(order.PricePerSeat, order.Currency));
                db.Subscriptions.Add(moved);
                db.Publish(new SubscriptionSeatsChanged(Guid.NewGuid(), now, subscription.Id, subscription.CustomerId, subscription.Seats));
                db.Publish(new SubscriptionCreated(Guid.NewGuid(), now, moved.Id, moved.CustomerId, moved.PlanCode, moved.Seats, moved.RenewsOn));
                break;
            // Priced as the difference for exactly the seats it had then: with seats added meanwhile, applying its seat count would
            // drop paid seats (or upgrade them unpaid), so it applies only to the subscription it was priced for.
            case OrderKind.Upgrade when !order.IsPartialUpgrade && subscription.PlanCode == order.FromPlanCode && (order.FromSeats is null || subscription.Seats == order.FromSeats):
                var target = await catalog.PlanAsync(order.PlanCode, cancellationToken)
                    ?? throw new InvalidOperationException($"Plan {order.PlanCode} is not in the catalog.");
                subscription.Upgrade(target.Code, target.Product.Code, target.Product.FamilyCode, new Money(order.PricePerSeat, order.Currency), order.Seats);
                db.Publish(new SubscriptionUpgraded(Guid.NewGuid(), now, subscription.Id, subscription.CustomerId, order.FromPlanCode!, target.Code, subscription.Seats));
                break;
            case OrderKind.Renewal when subscription.Status == SubscriptionStatus.Active && subscription.RenewsOn == order.RenewalOf:
                subscription.Renew(order.Seats);
                db.Publish(new SubscriptionRenewed(Guid.NewGuid(), now, subscription.Id, subscription.CustomerId, subscription.RenewsOn, subscription.Seats));
                break;
            default:
                // Paid, but the subscription moved on meanwhile (seats added before an upgrade was paid, upgraded in another tab,
                // renewed already). The order stays Completed with its invoice as the record, and what was paid goes back to the
                // customer as credit (RefundOnPaidOrderNotApplied), announced in this transaction so it happens exactly when this does.
                var reason = WhyNotApplied(order, subscription);
                logger.LogWarning("Order {OrderId} ({Kind}) was paid but no longer applies to subscription {SubscriptionId}: {Reason}", order.Id, order.Kind, subscription.Id, reason);
                await db.Orders.Where(o => o.Id == order.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.NotAppliedReason, reason), cancellationToken);
                db.Publish(new PaidOrderNotApplied(Guid.NewGuid(), now, order.Id, order.CustomerId, order.InvoiceId, reason));
                break;
        }
    }
}
