using ChaosModular.Subscriptions.Contracts;

namespace ChaosModular.Licensing.Data;

/// <summary>
/// At start-up, gives every subscription without a license one (<see cref="FollowSubscription"/>): the
/// subscriptions that existed before Licensing did, whose events were delivered before it listened, and any
/// whose event is still on its way (following twice is harmless).
/// </summary>
internal sealed class LicensingSeeder(LicensingDbContext db, ISubscriptionsApi subscriptions, FollowSubscription follow) : IModuleSeeder
{
    private const int Batch = 500;

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        Guid? after = null;
        while (true)
        {
            var ids = await subscriptions.SubscriptionIdsAsync(after, Batch, cancellationToken);
            if (ids.Count == 0)
            {
                return;
            }
            var licensed = await db.Licenses.AsNoTracking().Where(l => ids.Contains(l.SubscriptionId)).Select(l => l.SubscriptionId).ToListAsync(cancellationToken);
            foreach (var id in ids.Except(licensed))
            {
                await follow.HandleAsync(id, cancellationToken);
            }
            after = ids[^1];
        }
    }
}
