
namespace ChaosModular.Subscriptions.Features;

/// <summary>
/// Changes that cost nothing now: switching auto-renewal (inside its window, <see cref="AutoRenewalWindow"/>)
/// and reducing seats from the next renewal. Saved under the subscription's version token, so a change
/// made meanwhile elsewhere (a renewal, added seats) is not overwritten: the customer is asked to look again.
/// </summary>
internal sealed class ChangeSubscription(SubscriptionsDbContext db, TimeProvider clock)
{
    public sealed record Result(bool Found, string? Error);

    public Task<Result> SetAutoRenewAsync(string customerId, Guid subscriptionId, bool on, CancellationToken cancellationToken) =>
        ChangeAsync(customerId, subscriptionId, s => s.SetAutoRenew(on, clock.Today()), cancellationToken);

    public Task<Result> ReduceSeatsAtRenewalAsync(string customerId, Guid subscriptionId, int seats, CancellationToken cancellationToken) =>
        ChangeAsync(customerId, subscriptionId, s => s.WhyCannotChange(clock.Today()) is { } why ? why.Explain("Change seats") : s.ReduceSeatsAtRenewal(seats), cancellationToken,
            seatChange: true);

    public Task<Result> KeepSeatsAsync(string customerId, Guid subscriptionId, CancellationToken cancellationToken) =>
        // Refused while the renewal is under way too: its order was placed (and invoiced) for the reduced seats, and the
        // renewal applies the order's seats, so keeping them now would have to be paid for again after the renewal.
        ChangeAsync(customerId, subscriptionId, s => s.WhyCannotChange(clock.Today()) is { } why ? why.Explain("Change seats") : s.KeepSeats(), cancellationToken,
            seatChange: true);

    /// <param name="seatChange">A change of seats: refused while an upgrade order waits for its payment (<see cref="OpenUpgrades"/>).</param>
    private async Task<Result> ChangeAsync(string customerId, Guid subscriptionId, Func<Subscription, string?> change, CancellationToken cancellationToken,
        bool seatChange = false)
    {
        var subscription = await db.Subscriptions.SingleOrDefaultAsync(s => s.Id == subscriptionId && s.CustomerId == customerId, cancellationToken);
        if (subscription is null)
        {
            return new Result(false, null);
        }
        if (seatChange && subscription.WhyCannotChange(clock.Today()) is null
            && await OpenUpgrades.AnyAsync(db, subscription.Id, clock.GetUtcNow().UtcDateTime, cancellationToken))
        {
            return new Result(true, OpenUpgrades.Message);
        }
        if (change(subscription) is { } error)
        {
            return new Result(true, error);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new Result(true, null);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Not Claims.RetryOnConflictAsync: the customer decided on what they saw, so a change made meanwhile is theirs to look at, not ours to redo.
            return new Result(true, "This subscription was changed meanwhile. Look at it again and repeat your change.");
        }
    }
}
