using ChaosModular.Catalog.Contracts;
using ChaosModular.Subscriptions.Contracts;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// Brings a subscription's license in step with the subscription as it is now (read through
/// <see cref="ISubscriptionsApi"/>, not taken from the event), so a redelivered, late or out-of-order event
/// changes nothing or ends in the same state. Creates the license on first sight.
/// When the subscription's family has key-based versions (the catalog's licenseKeysBefore) and the license has no key
/// yet, gives it one: the key Subscriptions issued before Licensing owned keys, so existing keys keep their values,
/// else a new one. A key once given is never replaced.
/// </summary>
internal sealed class FollowSubscription(LicensingDbContext db, ISubscriptionsApi subscriptions, ICatalogApi catalog, SeatLedger ledger, TimeProvider clock)
{
    private const int InsertRaces = 3;

    public async Task HandleAsync(Guid subscriptionId, CancellationToken cancellationToken)
    {
        var subscription = await subscriptions.SubscriptionAsync(subscriptionId, cancellationToken);
        if (subscription is null)
        {
            return;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var licenseId = await db.RetryOnConflictAsync(async ct =>
                {
                    var license = await db.Licenses.SingleOrDefaultAsync(l => l.SubscriptionId == subscriptionId, ct);
                    return (await FollowAsync(license, subscription, ct)).Id;
                }, cancellationToken);
                // Fewer seats, or none once expired: what servers and borrows hold beyond the quantity ends.
                await ledger.TrimToQuantityAsync(licenseId, cancellationToken);
                return;
            }
            catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException && attempt < InsertRaces)
            {
                // Another event of the same subscription inserted the license first (unique index): update that one.
                // Or, very unlikely, the new key collided with another license's (unique index): try another key.
            }
        }
    }

    /// <summary>
    /// Several subscriptions at once (a renewal run's events come in batches): the subscriptions and their licenses read
    /// together, every license brought in step in one save, then the seats trimmed (<see cref="SeatLedger.TrimManyToQuantityAsync"/>).
    /// If the save meets a race (a license inserted or a key taken meanwhile), each subscription is followed on its own.
    /// </summary>
    public async Task HandleManyAsync(IReadOnlyList<Guid> subscriptionIds, CancellationToken cancellationToken)
    {
        var ids = subscriptionIds.Distinct().ToList();
        if (ids.Count <= 1)
        {
            foreach (var id in ids)
            {
                await HandleAsync(id, cancellationToken);
            }
            return;
        }
        var states = await subscriptions.SubscriptionsAsync(ids, cancellationToken);
        List<Guid> licenseIds;
        try
        {
            licenseIds = await db.RetryOnConflictAsync(async ct =>
            {
                var licenses = await db.Licenses.Where(l => ids.Contains(l.SubscriptionId)).ToDictionaryAsync(l => l.SubscriptionId, ct);
                var followed = new List<Guid>();
                foreach (var subscription in states)
                {
                    followed.Add((await FollowAsync(licenses.GetValueOrDefault(subscription.SubscriptionId), subscription, ct)).Id);
                }
                return followed;
            }, cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            foreach (var id in ids)
            {
                await HandleAsync(id, cancellationToken);
            }
            return;
        }
        await ledger.TrimManyToQuantityAsync(licenseIds, cancellationToken);
    }

    /// <summary>The license (created when <paramref name="license"/> is null) brought in step with the subscription, not saved.</summary>
    private async Task<License> FollowAsync(License? license, SubscriptionState subscription, CancellationToken cancellationToken)
    {
        var product = await catalog.ProductAsync(subscription.ProductCode, cancellationToken);
        var keysBefore = (await catalog.FamiliesAsync(cancellationToken)).FirstOrDefault(f => f.Code == subscription.FamilyCode)?.LicenseKeysBefore;
        if (license is null)
        {
            license = License.For(subscription.SubscriptionId, subscription.CustomerId, clock.UtcNow());
            db.Licenses.Add(license);
        }
        license.Follow(subscription.ProductCode, subscription.FamilyCode, product?.LicenseType?.ToString(), subscription.Seats,
            subscription.LastDay, subscription.Active, clock.UtcNow());
        if (keysBefore is not null && license.LicenseKey is null)
        {
            license.GiveKey(subscription.LicenseKey ?? LicenseKeyFormat.New(), keysBefore, clock.UtcNow());
        }
        return license;
    }
}
