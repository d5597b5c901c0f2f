using ChaosModular.Billing.Data;
using ChaosModular.Subscriptions;
using ChaosModular.Subscriptions.Contracts;
using ChaosModular.UnitTests.Subscriptions;

namespace ChaosModular.UnitTests.Billing;

/// <summary>
/// On PostgreSQL: two tabs each removing one of the customer's last two cards while a subscription renews automatically.
/// Without a lock both pass the "another card is left" check and the renewals are left with no card; the removal locks the
/// customer's cards first, so exactly one card goes and the other tab is refused with the reason.
/// </summary>
public sealed class ConcurrentCardRemovalTests
{
    [Fact]
    public async Task Two_tabs_removing_the_last_two_cards_at_once_leave_one_card_while_a_subscription_auto_renews()
    {
        var checks = new HoldingChecks(expected: 2, hold: TimeSpan.FromSeconds(3));
        await using var factory = new PostgresPortalFactory
        {
            TestServices = s =>
            {
                s.AddScoped<SubscriptionsApi>();
                s.AddScoped<ISubscriptionsApi>(sp => new HoldingSubscriptionsApi(sp.GetRequiredService<SubscriptionsApi>(), checks));
            },
        };
        var customer = await BillingCustomer.SignUpAsync(factory);
        await customer.GiveSubscriptionAsync("vray-solo-annual");
        await customer.AddCardAsync("5555555555554444");
        var cards = await InBilling(factory, db => db.PaymentMethods.AsNoTracking().Where(m => m.CustomerId == customer.UserId).Select(m => m.Id).ToListAsync());
        Assert.Equal(2, cards.Count);
        // Each tab opens its card's confirmation, then both confirm at once.
        var forms = new List<(string Path, List<KeyValuePair<string, string>> Fields)>();
        foreach (var id in cards)
        {
            var path = $"/billing/payment-methods?handler=Remove&id={id}";
            var html = await customer.Client.GetPageAsync(path);
            forms.Add((path, [.. PortalClient.HiddenFields(html).DistinctBy(f => f.Key), new("confirmed", "true")]));
        }
        checks.Armed = true;

        var responses = await Task.WhenAll(forms.Select(f => customer.Client.Http.PostAsync(new Uri(f.Path, UriKind.Relative), new FormUrlEncodedContent(f.Fields))));

        var left = await InBilling(factory, db => db.PaymentMethods.AsNoTracking().Where(m => m.CustomerId == customer.UserId).ToListAsync());
        Assert.Single(left);
        Assert.True(Assert.Single(left).IsDefault);
        var pages = await Task.WhenAll(responses.Select(async r => PortalClient.Decode(await r.Content.ReadAsStringAsync())));
        Assert.Single(pages, p => p.Contains("is your only card and 1 of your subscriptions renew automatically with it.", StringComparison.Ordinal));
        // Both removals reached the check (the second after the first one's lock was released); the refused page asks once more.
        Assert.True(checks.Calls >= 2, $"{checks.Calls} check(s)");
    }

    private static async Task<T> InBilling<T>(PortalFactory portal, Func<BillingDbContext, Task<T>> query)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<BillingDbContext>());
    }

    /// <summary>
    /// Holds each "how many subscriptions auto-renew" check (the first step of the refusal check, before "is another card left")
    /// until <c>expected</c> checks have arrived or the hold lapses: without the lock both removals are inside their check at the
    /// same time (a real race, not the sequential path); with it the second arrives only after the first has committed.
    /// </summary>
    private sealed class HoldingChecks(int expected, TimeSpan hold)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public bool Armed { get; set; }
        public int Calls => Volatile.Read(ref _calls);

        public async Task ArriveAsync()
        {
            if (!Armed)
            {
                return;
            }
            if (Interlocked.Increment(ref _calls) >= expected)
            {
                _all.TrySetResult();
            }
            await Task.WhenAny(_all.Task, Task.Delay(hold));
        }
    }

    private sealed class HoldingSubscriptionsApi(ISubscriptionsApi inner, HoldingChecks checks) : ISubscriptionsApi
    {
        public Task<SubscriptionState?> SubscriptionAsync(Guid subscriptionId, CancellationToken cancellationToken) => inner.SubscriptionAsync(subscriptionId, cancellationToken);

        public Task<IReadOnlyList<SubscriptionState>> SubscriptionsAsync(IReadOnlyCollection<Guid> subscriptionIds, CancellationToken cancellationToken) =>
            inner.SubscriptionsAsync(subscriptionIds, cancellationToken);

        public Task<IReadOnlyList<Guid>> SubscriptionIdsAsync(Guid? after, int count, CancellationToken cancellationToken) => inner.SubscriptionIdsAsync(after, count, cancellationToken);

        public async Task<int> AutoRenewingCountAsync(string customerId, CancellationToken cancellationToken)
        {
            var count = await inner.AutoRenewingCountAsync(customerId, cancellationToken);
            await checks.ArriveAsync();
            return count;
        }
    }
}
