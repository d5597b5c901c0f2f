
namespace ChaosModular.Subscriptions.Features;

/// <summary>
/// Closes an order that will not be paid (declined, its invoice voided, a renewal nobody paid), so nothing it
/// was for takes effect. Like <see cref="CompleteOrder"/> it claims the order (AwaitingPayment → Cancelled) with
/// a conditional update: whichever of the two comes first decides, and the other one does nothing.
/// </summary>
internal sealed class CancelOrder(SubscriptionsDbContext db, TimeProvider clock)
{
    /// <summary>True when this call cancelled the order; false when it was already completed or cancelled.</summary>
    public async Task<bool> HandleAsync(Guid orderId, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Orders.Where(o => o.Id == orderId && o.Status == OrderStatus.AwaitingPayment)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Cancelled).SetProperty(o => o.CancelReason, reason).SetProperty(o => o.ClosedUtc, now),
                cancellationToken) > 0;
    }
}
