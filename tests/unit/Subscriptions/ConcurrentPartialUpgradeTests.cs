using ChaosModular.Subscriptions.Contracts.Events;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.Subscriptions.Features;
using ChaosModular.UnitTests.Billing;

namespace ChaosModular.UnitTests.Subscriptions;

/// <summary>
/// On PostgreSQL: paid partial upgrades of one subscription completing at once never move more seats than it has. Each
/// applies only while the subscription still has more seats than it moves; the version token turns the loser of a race
/// into a retry that sees the seats the winner left, and an upgrade that no longer fits is credited back instead.
/// </summary>
public sealed class ConcurrentPartialUpgradeTests(PostgresPortalFactory factory) : IClassFixture<PostgresPortalFactory>
{
    [Fact]
    public async Task Partial_upgrades_completing_at_once_move_no_more_seats_than_the_subscription_has()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 5);
        // Four paid orders, each moving 2 of the 5 seats: two fit (5 -> 3 -> 1), two do not.
        var orders = Enumerable.Range(0, 4).Select(_ => Order.Place(Guid.NewGuid(), customer.UserId, OrderKind.Upgrade, id, "vray-premium-annual", 2, "EUR", 699m,
            100m, DateTime.UtcNow, fromPlanCode: "vray-solo-annual", fromSeats: 5)).ToList();
        await factory.InSubscriptions(db => { db.Orders.AddRange(orders); return db.SaveChangesAsync(); });

        using var start = new SemaphoreSlim(0);
        var completions = orders.Select(async o =>
        {
            await start.WaitAsync();
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<CompleteOrder>().HandleAsync(o.Id, CancellationToken.None);
        }).ToList();
        start.Release(orders.Count);
        Assert.All(await Task.WhenAll(completions), Assert.True);   // every paid order is completed: applied, or credited back

        var subscriptions = await factory.InSubscriptions(db => db.Subscriptions.AsNoTracking().Where(s => s.CustomerId == customer.UserId).ToListAsync());
        Assert.Equal(5, subscriptions.Sum(s => s.Seats));
        Assert.Equal(1, subscriptions.Single(s => s.Id == id).Seats);
        Assert.Equal(2, subscriptions.Count(s => s.PlanCode == "vray-premium-annual" && s.Seats == 2));
        var notApplied = await factory.InSubscriptions(db => db.OutboxMessages.AsNoTracking()
            .Where(m => m.Type.EndsWith(nameof(PaidOrderNotApplied))).Select(m => m.Payload).ToListAsync());
        Assert.Equal(2, notApplied.Count(p => orders.Any(o => p.Contains(o.Id.ToString(), StringComparison.Ordinal))));
    }
}
