using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Features;
using ChaosModular.Billing.Gateways;
using ChaosModular.Billing.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Billing;

/// <summary>
/// On PostgreSQL, automatic payment at volume: one run attempts every due invoice (several claimed batches: the hosts
/// claim <see cref="DrainBatchSize"/> at a time, so a few hundred invoices make as many batches as thousands would with
/// the default of 200), one invoice's failure does not stop the others, and two runners at once charge each invoice once,
/// each taking its own batches.
/// </summary>
public sealed class AutomaticPaymentDrainTests
{
    private static readonly DateOnly DueDay = new(2026, 7, 2);

    private const int DrainBatchSize = 25;

    private sealed record Scenario(PostgresPortalFactory Factory, CountingGateway Gateway, BillingCustomer Customer, List<Guid> Due, Guid Failing);

    /// <summary>
    /// <paramref name="due"/> invoices of a paying customer due today, and one due yesterday (so attempted first) of a
    /// customer whose card is declined and whose billing information is gone, so that recording the failure throws.
    /// </summary>
    private static async Task<Scenario> SetUpAsync(int due)
    {
        var gateway = new CountingGateway();
        var clock = new FakeTimeProvider(new DateTimeOffset(DueDay.AddDays(-14).ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));
        var factory = new PostgresPortalFactory { Clock = clock, TestServices = s => s.AddSingleton<IPaymentGateway>(gateway) };
        factory.With("Jobs:DrainBatchSize", $"{DrainBatchSize}");
        var customer = await BillingCustomer.SignUpAsync(factory);
        var broken = await BillingCustomer.SignUpAsync(factory, card: "4000000000000341");
        await using var scope = factory.Services.CreateAsyncScope();
        var issue = scope.ServiceProvider.GetRequiredService<IssueInvoice>();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        async Task<Guid> IssueAsync(BillingCustomer to, DateOnly dueOn)
        {
            var invoice = await issue.HandleAsync(new CreateInvoice(to.UserId, "EUR",
                [new CreateInvoiceLine("Corona Solo, monthly", 1, 59m, dueOn, dueOn.AddMonths(1).AddDays(-1), "corona-solo")], DueOn: dueOn), CancellationToken.None);
            db.ChangeTracker.Clear();
            return invoice.Id;
        }
        var ids = new List<Guid>();
        for (var i = 0; i < due; i++)
        {
            ids.Add(await IssueAsync(customer, DueDay));
        }
        var failing = await IssueAsync(broken, DueDay.AddDays(-1));
        await db.Profiles.Where(p => p.CustomerId == broken.UserId).ExecuteDeleteAsync();
        clock.SetUtcNow(new DateTimeOffset(DueDay.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));
        return new(factory, gateway, customer, ids, failing);
    }

    /// <summary>Each due invoice paid by one automatic payment and one charge, and nothing more.</summary>
    private static async Task AssertChargedOnceAsync(Scenario scenario)
    {
        var invoices = await BillingScope.InBilling(scenario.Factory, db => db.Invoices.AsNoTracking().Where(i => scenario.Due.Contains(i.Id)).ToListAsync());
        Assert.All(invoices, i => Assert.Equal(InvoiceStatus.Paid, i.Status));
        var payments = await BillingScope.InBilling(scenario.Factory, db => db.Payments.AsNoTracking().Where(p => p.CustomerId == scenario.Customer.UserId).ToListAsync());
        Assert.Equal(scenario.Due.Count, payments.Count);
        Assert.All(payments, p => Assert.Equal((PaymentStatus.Succeeded, true), (p.Status, p.Automatic)));
        var customerCharges = scenario.Gateway.ChargesByKey.Where(c => payments.Any(p => p.IdempotencyKey == c.Key)).ToList();
        Assert.Equal(scenario.Due.Count, customerCharges.Count);
        Assert.All(customerCharges, c => Assert.Equal(1, c.Value));
    }

    [Fact]
    public async Task One_run_charges_all_130_due_in_six_batches_and_a_failing_invoice_does_not_stop_the_others()
    {
        var scenario = await SetUpAsync(130);
        await using var factory = scenario.Factory;

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AutomaticPaymentJob>().RunAsync(CancellationToken.None);
        }

        Assert.True(scenario.Due.Count > 5 * DrainBatchSize);
        await AssertChargedOnceAsync(scenario);
        // Its decline could not be recorded (no billing information to email): still open, its failure not counted, tried again next run.
        var failing = await BillingScope.Stored(factory, scenario.Failing);
        Assert.Equal((InvoiceStatus.Open, 0), (failing.Status, failing.AutoPayFailures));
    }

    [Fact]
    public async Task Two_runners_at_once_charge_each_invoice_once()
    {
        var scenario = await SetUpAsync(90);
        await using var factory = scenario.Factory;
        // The demo data's customers have invoices due too; the runners attempt those as well.
        var now = DueDay.ToDateTime(new TimeOnly(6, 0));
        var dueNow = await BillingScope.InBilling(factory, db => db.Invoices.CountAsync(i => i.Status == InvoiceStatus.Open && i.NextAutoPayUtc <= now));
        using var start = new SemaphoreSlim(0);

        var runners = Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var job = scope.ServiceProvider.GetRequiredService<AutomaticPaymentJob>();
            await start.WaitAsync();
            return await job.DrainAsync(CancellationToken.None);
        }).ToList();
        start.Release(2);
        var attempted = await Task.WhenAll(runners);

        // Every invoice attempted by exactly one runner (the failing one by neither): without the claims both would go through the same invoices.
        Assert.True(dueNow > scenario.Due.Count);
        Assert.Equal(dueNow - 1, attempted.Sum());
        await AssertChargedOnceAsync(scenario);
    }
}
