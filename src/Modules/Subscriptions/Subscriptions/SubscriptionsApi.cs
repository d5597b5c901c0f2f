namespace ChaosModular.Subscriptions;

internal sealed class SubscriptionsApi(SubscriptionsDbContext db) : ISubscriptionsApi
{
    public async Task<SubscriptionState?> SubscriptionAsync(Guid subscriptionId, CancellationToken cancellationToken) =>
        await States(db.Subscriptions.Where(s => s.Id == subscriptionId)).SingleOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<SubscriptionState>> SubscriptionsAsync(IReadOnlyCollection<Guid> subscriptionIds, CancellationToken cancellationToken) =>
        await States(db.Subscriptions.Where(s => subscriptionIds.Contains(s.Id))).ToListAsync(cancellationToken);

    private static IQueryable<SubscriptionState> States(IQueryable<Subscription> subscriptions) =>
        subscriptions.AsNoTracking().Select(s => new SubscriptionState(
            s.Id, s.CustomerId, s.PlanCode, s.ProductCode, s.FamilyCode, s.Seats, s.Status == SubscriptionStatus.Active,
            s.Status == SubscriptionStatus.Active ? s.RenewsOn.AddDays(-1) : s.ExpiredOn ?? s.RenewsOn.AddDays(-1), s.LicenseKey));

    public async Task<IReadOnlyList<Guid>> SubscriptionIdsAsync(Guid? after, int count, CancellationToken cancellationToken)
    {
        var query = db.Subscriptions.AsNoTracking().Select(s => s.Id);
        if (after is { } last)
        {
            query = query.Where(id => id.CompareTo(last) > 0);
        }
        return await query.OrderBy(id => id).Take(count).ToListAsync(cancellationToken);
    }

    public Task<int> AutoRenewingCountAsync(string customerId, CancellationToken cancellationToken) =>
        db.Subscriptions.AsNoTracking().CountAsync(s => s.CustomerId == customerId && s.Status == SubscriptionStatus.Active && s.AutoRenew, cancellationToken);
}
