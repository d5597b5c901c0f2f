using ChaosModular.Catalog.Contracts;
using ChaosModular.Subscriptions.Contracts;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// Brings a subscription's license in step with the subscription as it is now (read through
/// <see cref="ISubscriptionsApi"/>, not taken from the event), so a redelivered, late or out-of-order event
/// changes nothing or ends in the same state. Creates the license on first sight.
/// </summary>
internal sealed class FollowSubscription(LicensingDbContext db, ISubscriptionsApi subscriptions, ICatalogApi catalog, TimeProvider clock)
{
    private const int InsertRaces = 3;

    public async Task HandleAsync(Guid subscriptionId, CancellationToken cancellationToken)
    {
        var subscription = await subscriptions.SubscriptionAsync(subscriptionId, cancellationToken);
        if (subscription is null)
        {
            return;
        }
        var product = await catalog.ProductAsync(subscription.ProductCode, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.RetryOnConflictAsync(async ct =>
                {
                    var license = await db.Licenses.SingleOrDefaultAsync(l => l.SubscriptionId == subscriptionId, ct);
                    if (license is null)
                    {
                        license = License.For(subscriptionId, subscription.CustomerId, clock.UtcNow());
                        db.Licenses.Add(license);
                    }
                    return license.Follow(subscription.ProductCode, subscription.FamilyCode, product?.LicenseType?.ToString(), subscription.Seats,
                        subscription.LastDay, subscription.Active, clock.UtcNow());
                }, cancellationToken);
                return;
            }
            catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException && attempt < InsertRaces)
            {
                // Another event of the same subscription inserted the license first (unique index): update that one.
            }
        }
    }
}
