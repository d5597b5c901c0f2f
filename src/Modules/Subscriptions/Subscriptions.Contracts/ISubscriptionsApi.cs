namespace ChaosModular.Subscriptions.Contracts;

/// <summary>What other modules may ask Subscriptions (Licensing keeps its licenses in step with it).</summary>
public interface ISubscriptionsApi
{
    /// <summary>Where a subscription stands now, or null when there is no such subscription.</summary>
    Task<SubscriptionState?> SubscriptionAsync(Guid subscriptionId, CancellationToken cancellationToken);

    /// <summary>Where each of these subscriptions stands now, in one read; the ids with no subscription are left out.</summary>
    Task<IReadOnlyList<SubscriptionState>> SubscriptionsAsync(IReadOnlyCollection<Guid> subscriptionIds, CancellationToken cancellationToken);

    /// <summary>Subscription ids in a stable order, a page at a time: ids after <paramref name="after"/> (null for the first page).</summary>
    Task<IReadOnlyList<Guid>> SubscriptionIdsAsync(Guid? after, int count, CancellationToken cancellationToken);

    /// <summary>How many of the customer's active subscriptions renew automatically (Billing keeps a card for them).</summary>
    Task<int> AutoRenewingCountAsync(string customerId, CancellationToken cancellationToken);
}

/// <param name="Seats">The seats paid for now (a reduction asked for takes effect at the next renewal).</param>
/// <param name="LastDay">The last day it is paid for: the day before the renewal date, or the day it expired.</param>
/// <param name="LicenseKey">The licence key Subscriptions issued before Licensing owned keys (handed over so it keeps its value); null otherwise.</param>
public sealed record SubscriptionState(Guid SubscriptionId, string CustomerId, string PlanCode, string ProductCode, string FamilyCode, int Seats, bool Active, DateOnly LastDay,
    string? LicenseKey = null);
