using ChaosModular.Billing.Domain;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Subscriptions.Data;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.Subscriptions.Features;
using ChaosModular.UnitTests.Billing;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Subscriptions;

/// <summary>
/// On PostgreSQL, two hosts (two workers) running the renewal for the same day on the same database, really at once:
/// the renewal's charge is held at the gateway until the other run has reached a charge too or has finished. The order
/// claim keeps the other run off the order being charged: one renewal order, one invoice, one charge.
/// </summary>
public sealed class RenewalRaceTests
{
    private static readonly DateOnly RenewalDay = new(2026, 7, 2);

    private static FakeTimeProvider ClockAt(DateOnly day) => new(new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));

    [Fact]
    public async Task Two_workers_renewing_the_same_day_at_once_renew_once_with_one_invoice_and_one_charge()
    {
        var race = new RaceHold(2);
        var onFirst = new HoldingGateway(race);
        var onSecond = new HoldingGateway(race);
        await using var first = new PostgresPortalFactory { Clock = ClockAt(RenewalDay), TestServices = onFirst.DecorateIn };
        var customer = await BillingCustomer.SignUpAsync(first);
        Guid subscriptionId;
        await using (var scope = first.Services.CreateAsyncScope())
        {
            var plan = await scope.ServiceProvider.GetRequiredService<ICatalogApi>().PlanAsync("corona-solo-monthly", CancellationToken.None)
                ?? throw new InvalidOperationException("No plan corona-solo-monthly");
            var subscription = Subscription.Start(Guid.NewGuid(), customer.UserId, plan.Code, plan.Product.Code, plan.Product.FamilyCode, plan.Term.ToTerm(),
                plan.PriceIn("EUR")!.Value, 1, RenewalDay.AddMonths(-1));
            Assert.Equal(RenewalDay, subscription.RenewsOn);
            var db = scope.ServiceProvider.GetRequiredService<SubscriptionsDbContext>();
            db.Subscriptions.Add(subscription);
            await db.SaveChangesAsync();
            subscriptionId = subscription.Id;
        }
        await using var second = new SharedPostgresPortalFactory(first.DatabaseName) { Clock = ClockAt(RenewalDay), TestServices = onSecond.DecorateIn };

        using var start = new SemaphoreSlim(0);
        var runs = new PortalFactory[] { first, second }.Select(worker => race.RunAsync(async () =>
        {
            await using var scope = worker.Services.CreateAsyncScope();
            var renew = scope.ServiceProvider.GetRequiredService<RenewSubscriptions>();
            await start.WaitAsync();
            await renew.PrepareAsync(CancellationToken.None);
            return await renew.DrainAsync(CancellationToken.None);
        })).ToList();
        start.Release(2);
        // Bounded: a run that keeps finding the order to progress (no claim) would otherwise never end.
        var progressed = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(90));

        // One run's charge was held while the other run went through the whole renewal and found nothing left to do.
        race.AssertRaced(held: 1);
        Assert.Equal([0, 1], progressed.Order());
        Assert.Equal(1, onFirst.Charges + onSecond.Charges);
        var order = Assert.Single(await first.InSubscriptions(db => db.Orders.AsNoTracking().Where(o => o.SubscriptionId == subscriptionId).ToListAsync()));
        Assert.Equal((OrderKind.Renewal, OrderStatus.Completed), (order.Kind, order.Status));
        var invoice = Assert.Single(await BillingScope.InBilling(first, db => db.Invoices.AsNoTracking().Where(i => i.CustomerId == customer.UserId).ToListAsync()));
        Assert.Equal((order.InvoiceId, InvoiceStatus.Paid), (invoice.Id, invoice.Status));
        Assert.Equal(1, await BillingScope.InBilling(first, db => db.Payments.CountAsync(p => p.CustomerId == customer.UserId && p.Status == PaymentStatus.Succeeded)));
        var renewed = await first.SubscriptionAsync(subscriptionId);
        Assert.Equal((SubscriptionStatus.Active, RenewalDay, RenewalDay.AddMonths(1)), (renewed.Status, renewed.PeriodStart, renewed.RenewsOn));
    }
}
