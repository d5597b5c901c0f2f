using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Gateways;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Subscriptions.Data;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.Subscriptions.Features;
using ChaosModular.Subscriptions.Jobs;
using ChaosModular.UnitTests.Billing;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Subscriptions;

/// <summary>
/// On PostgreSQL, renewals at volume: one run drains every due renewal (several pages of placed orders and several
/// claimed batches: the hosts read <see cref="PageSize"/> subscriptions and claim <see cref="DrainBatchSize"/> orders at a
/// time, so a hundred-odd renewals make as many pages and batches as thousands would with the defaults of 1,000 and
/// 200), one customer's failure does not stop the others, and two runners at once renew each subscription once (one
/// order, one invoice, one charge), each taking its own batches.
/// </summary>
public sealed class RenewalDrainTests
{
    private static readonly DateOnly RenewalDay = new(2026, 7, 2);

    private const int PageSize = 50;

    private const int DrainBatchSize = 25;

    private static FakeTimeProvider ClockAt(DateOnly day) => new(new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));

    private sealed record Scenario(PostgresPortalFactory Factory, CountingGateway Gateway, BillingCustomer Customer, List<Guid> Due, Guid Failing);

    /// <summary><paramref name="due"/> monthly subscriptions of one paying customer renewing today, and one of a customer without billing information.</summary>
    private static async Task<Scenario> SetUpAsync(int due)
    {
        var gateway = new CountingGateway();
        var factory = new PostgresPortalFactory { Clock = ClockAt(RenewalDay), TestServices = s => s.AddSingleton<IPaymentGateway>(gateway) };
        factory.With("Jobs:DrainBatchSize", $"{DrainBatchSize}").With("Jobs:RenewalPageSize", $"{PageSize}");
        var customer = await BillingCustomer.SignUpAsync(factory);
        await using var scope = factory.Services.CreateAsyncScope();
        var plan = await scope.ServiceProvider.GetRequiredService<ICatalogApi>().PlanAsync("corona-solo-monthly", CancellationToken.None)
            ?? throw new InvalidOperationException("No plan corona-solo-monthly");
        Subscription Start(string customerId)
        {
            var s = Subscription.Start(Guid.NewGuid(), customerId, plan.Code, plan.Product.Code, plan.Product.FamilyCode, plan.Term.ToTerm(), plan.PriceIn("EUR")!.Value, 1, RenewalDay.AddMonths(-1));
            Assert.Equal(RenewalDay, s.RenewsOn);
            return s;
        }
        var subscriptions = Enumerable.Range(0, due).Select(_ => Start(customer.UserId)).ToList();
        var failing = Start($"no-billing-information-{Guid.NewGuid():N}");
        var db = scope.ServiceProvider.GetRequiredService<SubscriptionsDbContext>();
        db.Subscriptions.AddRange(subscriptions);
        db.Subscriptions.Add(failing);
        await db.SaveChangesAsync();
        return new(factory, gateway, customer, subscriptions.Select(s => s.Id).ToList(), failing.Id);
    }

    /// <summary>Each due subscription renewed once: one completed order, one paid invoice and one charge each, and nothing more.</summary>
    private static async Task AssertRenewedOnceAsync(Scenario scenario, int chargesBeyond = 0)
    {
        var factory = scenario.Factory;
        var subscriptions = await factory.InSubscriptions(db => db.Subscriptions.AsNoTracking().Where(s => scenario.Due.Contains(s.Id)).ToListAsync());
        Assert.All(subscriptions, s => Assert.Equal((SubscriptionStatus.Active, RenewalDay, RenewalDay.AddMonths(1)), (s.Status, s.PeriodStart, s.RenewsOn)));
        var orders = await factory.InSubscriptions(db => db.Orders.AsNoTracking().Where(o => scenario.Due.Contains(o.SubscriptionId!.Value)).ToListAsync());
        Assert.Equal(scenario.Due.Count, orders.Count);
        Assert.Equal(scenario.Due.Count, orders.Select(o => o.SubscriptionId).Distinct().Count());
        Assert.All(orders, o => Assert.Equal((OrderKind.Renewal, OrderStatus.Completed), (o.Kind, o.Status)));
        var invoices = await InBilling(factory, db => db.Invoices.AsNoTracking().Where(i => i.CustomerId == scenario.Customer.UserId).ToListAsync());
        Assert.Equal(scenario.Due.Count, invoices.Count);
        Assert.All(invoices, i => Assert.Equal(InvoiceStatus.Paid, i.Status));
        Assert.Equal(orders.Select(o => o.InvoiceId!.Value).Order(), invoices.Select(i => i.Id).Order());
        Assert.Equal(scenario.Due.Count, await InBilling(factory, db => db.Payments.CountAsync(p => p.CustomerId == scenario.Customer.UserId && p.Status == PaymentStatus.Succeeded)));
        Assert.Equal(scenario.Due.Count + chargesBeyond, scenario.Gateway.ChargesByKey.Count);
        Assert.All(scenario.Gateway.ChargesByKey, c => Assert.Equal(1, c.Value));
    }

    private static async Task<T> InBilling<T>(PortalFactory factory, Func<BillingDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<BillingDbContext>());
    }

    [Fact]
    public async Task One_run_renews_all_130_due_in_three_pages_and_six_batches_and_a_failing_customer_does_not_stop_the_others()
    {
        var scenario = await SetUpAsync(130);
        await using var factory = scenario.Factory;

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RenewalJob>().RunAsync(CancellationToken.None);
        }

        Assert.True(scenario.Due.Count > 2 * PageSize && scenario.Due.Count > 5 * DrainBatchSize);
        await AssertRenewedOnceAsync(scenario);
        // The customer without billing information: the order is placed, waits (claimed) for the next run, and nothing was charged.
        var failed = Assert.Single(await factory.InSubscriptions(db => db.Orders.AsNoTracking().Where(o => o.SubscriptionId == scenario.Failing).ToListAsync()));
        Assert.Equal((OrderStatus.AwaitingPayment, (Guid?)null), (failed.Status, failed.InvoiceId));
        Assert.Equal(RenewalDay, (await factory.SubscriptionAsync(scenario.Failing)).RenewsOn);
    }

    [Fact]
    public async Task Two_runners_at_once_renew_each_subscription_once()
    {
        var scenario = await SetUpAsync(90);
        await using var factory = scenario.Factory;
        using var start = new SemaphoreSlim(0);

        var runners = Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var renew = scope.ServiceProvider.GetRequiredService<RenewSubscriptions>();
            await start.WaitAsync();
            await renew.PrepareAsync(CancellationToken.None);
            return await renew.DrainAsync(CancellationToken.None);
        }).ToList();
        start.Release(2);
        var progressed = await Task.WhenAll(runners);

        // Every order progressed by exactly one runner: without the claims both runners would work through the same orders.
        Assert.Equal(scenario.Due.Count, progressed.Sum());
        await AssertRenewedOnceAsync(scenario);
    }

    [Fact]
    public async Task A_mixed_batch_renews_the_paid_waits_on_the_declined_cancels_the_changed_and_applies_the_orders_seats()
    {
        var scenario = await SetUpAsync(3);
        await using var factory = scenario.Factory;
        var declining = await BillingCustomer.SignUpAsync(factory, card: "4000000000000002");
        Guid declined, changed, reduced;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var plan = await scope.ServiceProvider.GetRequiredService<ICatalogApi>().PlanAsync("corona-solo-monthly", CancellationToken.None);
            Subscription Start(string customerId, int seats) =>
                Subscription.Start(Guid.NewGuid(), customerId, plan!.Code, plan.Product.Code, plan.Product.FamilyCode, plan.Term.ToTerm(), plan.PriceIn("EUR")!.Value, seats, RenewalDay.AddMonths(-1));
            var db = scope.ServiceProvider.GetRequiredService<SubscriptionsDbContext>();
            var subscriptions = new[] { Start(declining.UserId, 1), Start(scenario.Customer.UserId, 1), Start(scenario.Customer.UserId, 3) };
            Assert.Null(subscriptions[2].ReduceSeatsAtRenewal(2));
            db.Subscriptions.AddRange(subscriptions);
            await db.SaveChangesAsync();
            (declined, changed, reduced) = (subscriptions[0].Id, subscriptions[1].Id, subscriptions[2].Id);
        }
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RenewSubscriptions>().PrepareAsync(CancellationToken.None);
        }
        // After the orders were placed: one subscription expires, the other keeps its seats after all (the order was placed for 2).
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SubscriptionsDbContext>();
            (await db.Subscriptions.SingleAsync(s => s.Id == changed)).Expire();
            Assert.Null((await db.Subscriptions.SingleAsync(s => s.Id == reduced)).KeepSeats());
            await db.SaveChangesAsync();
        }

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RenewSubscriptions>().DrainAsync(CancellationToken.None);
        }

        await AssertRenewedOnceAsync(scenario with { Due = [.. scenario.Due, reduced] }, chargesBeyond: 1);   // and the declined card's one charge
        var orders = await factory.InSubscriptions(db => db.Orders.AsNoTracking().Where(o => o.SubscriptionId == declined || o.SubscriptionId == changed || o.SubscriptionId == reduced)
            .ToDictionaryAsync(o => o.SubscriptionId!.Value));
        Assert.Equal((OrderStatus.AwaitingPayment, true), (orders[declined].Status, orders[declined].InvoiceId is not null));
        Assert.Equal((OrderStatus.Cancelled, (Guid?)null), (orders[changed].Status, orders[changed].InvoiceId));
        Assert.Equal((OrderStatus.Completed, 2), (orders[reduced].Status, orders[reduced].Seats));
        Assert.Equal(RenewalDay, (await factory.SubscriptionAsync(declined)).RenewsOn);
        Assert.Equal((SubscriptionStatus.Active, 2), ((await factory.SubscriptionAsync(reduced)).Status, (await factory.SubscriptionAsync(reduced)).Seats));
        var declinedInvoice = await InBilling(factory, db => db.Invoices.AsNoTracking().SingleAsync(i => i.Id == orders[declined].InvoiceId));
        Assert.Equal((InvoiceStatus.Open, 1), (declinedInvoice.Status, declinedInvoice.AutoPayFailures));
    }
}
