using System.Globalization;
using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Gateways;
using ChaosModular.Billing.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Billing;

/// <summary>
/// On PostgreSQL, Billing's batch contract methods (the renewal run's): invoice numbers taken by concurrent batches stay
/// consecutive and gap-free, a repeated batch issues nothing twice, and in a batch of automatic payments one decline, one
/// gateway that does not answer or one outcome that cannot be stored affects only its own invoice. The jobs finish the
/// other items when one of them fails.
/// </summary>
public sealed class BatchBillingTests
{
    private static readonly DateOnly Today = new(2026, 7, 2);

    private static readonly string[] TwoBatches = ["a", "b"];

    private static FakeTimeProvider Clock() => new(new DateTimeOffset(Today.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));

    /// <summary>The simulated gateway, with scripted answers for chosen customers: a throw (no answer) or a result of its own.</summary>
    private sealed class ScriptedGateway : IPaymentGateway
    {
        public CountingGateway Inner { get; } = new();
        public HashSet<string> Unanswered { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, GatewayResult> Answers { get; } = new(StringComparer.Ordinal);


        public async Task<GatewayResult> ChargeAsync(GatewayCharge charge, CancellationToken cancellationToken)
        {
            var result = await Inner.ChargeAsync(charge, cancellationToken);
            if (Unanswered.Contains(charge.CustomerId))
            {
                throw new HttpRequestException("The payment service timed out.");
            }
            return Answers.TryGetValue(charge.CustomerId, out var answer) ? answer : result;
        }
    }

    private static CreateInvoice Renewal(BillingCustomer customer, string? source, decimal price = 49.9m) =>
        new(customer.UserId, "EUR", [new CreateInvoiceLine("Corona Solo, monthly renewal", 1, price, Today, Today.AddMonths(1).AddDays(-1), "corona-solo-monthly")],
            source, DueOn: Today);

    private static int Sequence(string number) => int.Parse(number[^6..], CultureInfo.InvariantCulture);

    [Fact]
    public async Task Two_concurrent_batches_take_consecutive_gap_free_numbers_and_the_years_first_counter_fails_neither()
    {
        var logs = new CapturedLogs();
        await using var factory = new PostgresPortalFactory { Clock = Clock(), TestServices = s => s.AddSingleton<ILoggerProvider>(logs) };
        var customer = await BillingCustomer.SignUpAsync(factory);
        using var start = new SemaphoreSlim(0);

        var batches = TwoBatches.Select(async name =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var api = scope.ServiceProvider.GetRequiredService<IBillingApi>();
            var requests = Enumerable.Range(0, 60).Select(i => Renewal(customer, $"{name}:{i}")).ToList();
            await start.WaitAsync();
            return await api.CreateInvoicesAsync(requests, CancellationToken.None);
        }).ToList();
        start.Release(2);
        var results = await Task.WhenAll(batches);

        foreach (var batch in results)
        {
            Assert.All(batch, r => Assert.NotNull(r.Invoice));
            var numbers = batch.Select(r => Sequence(r.Invoice!.Number)).ToList();
            Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers);   // consecutive, in input order
        }
        Assert.Empty(results[0].Select(r => r.Invoice!.Number).Intersect(results[1].Select(r => r.Invoice!.Number)));
        // Gap-free over the whole year: every number from 1 to the counter is on exactly one invoice.
        var year = Today.Year;
        var last = await BillingScope.InBilling(factory, db => db.InvoiceNumbers.Where(c => c.Year == year).Select(c => c.Last).SingleAsync());
        var prefix = $"INV-{year}-";
        var all = await BillingScope.InBilling(factory, db => db.Invoices.Where(i => i.Number.StartsWith(prefix)).Select(i => i.Number).ToListAsync());
        Assert.Equal(Enumerable.Range(1, last), all.Select(Sequence).Order());
        // Both batches found no counter for the year: the second waited for the first's row instead of failing on it (a
        // failure would have thrown away its 60 invoices and issued them again).
        Assert.DoesNotContain(logs.Errors, e => e.Contains("invoice_numbers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_repeated_batch_returns_the_same_invoices_and_takes_no_number_and_a_customer_without_billing_information_fails_alone()
    {
        await using var factory = new PostgresPortalFactory { Clock = Clock() };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var requests = new List<CreateInvoice>
        {
            Renewal(customer, "renewal:1"),
            new("no-billing-information", "EUR", [new CreateInvoiceLine("Corona Solo", 1, 10m, null, null, "corona-solo")], "renewal:x"),
            Renewal(customer, "renewal:2"),
            Renewal(customer, "renewal:1"),   // the same source twice in one batch: one invoice
        };

        var first = await BillingScope.WithApi(factory, api => api.CreateInvoicesAsync(requests, CancellationToken.None));
        var lastAfterFirst = await BillingScope.InBilling(factory, db => db.InvoiceNumbers.Where(c => c.Year == Today.Year).Select(c => c.Last).SingleAsync());
        var again = await BillingScope.WithApi(factory, api => api.CreateInvoicesAsync(requests, CancellationToken.None));

        Assert.Null(first[1].Invoice);
        Assert.NotNull(first[1].Error);
        Assert.Equal(first[0].Invoice!.InvoiceId, first[3].Invoice!.InvoiceId);
        Assert.Equal(Sequence(first[0].Invoice!.Number) + 1, Sequence(first[2].Invoice!.Number));
        Assert.Equal(first.Select(r => r.Invoice?.InvoiceId), again.Select(r => r.Invoice?.InvoiceId));
        Assert.Equal(first.Select(r => r.Invoice?.Number), again.Select(r => r.Invoice?.Number));
        Assert.Equal(lastAfterFirst, await BillingScope.InBilling(factory, db => db.InvoiceNumbers.Where(c => c.Year == Today.Year).Select(c => c.Last).SingleAsync()));
        Assert.Equal(2, await BillingScope.InBilling(factory, db => db.Invoices.CountAsync(i => i.CustomerId == customer.UserId)));
    }

    [Fact]
    public async Task In_a_batch_collection_a_decline_and_an_unanswered_charge_affect_only_their_invoices_and_a_repeat_charges_nothing_twice()
    {
        var gateway = new ScriptedGateway();
        await using var factory = new PostgresPortalFactory { Clock = Clock(), TestServices = s => s.AddSingleton<IPaymentGateway>(gateway) };
        var paying = await BillingCustomer.SignUpAsync(factory);
        var declined = await BillingCustomer.SignUpAsync(factory, card: "4000000000000002");
        var unanswered = await BillingCustomer.SignUpAsync(factory);
        gateway.Unanswered.Add(unanswered.UserId);
        var issued = await BillingScope.WithApi(factory, api => api.CreateInvoicesAsync(
            [Renewal(paying, "p:1"), Renewal(declined, "d:1"), Renewal(unanswered, "u:1"), Renewal(paying, "p:2", 19.9m)], CancellationToken.None));
        var ids = issued.Select(r => r.Invoice!.InvoiceId).ToList();

        var charged = await BillingScope.WithApi(factory, api => api.CollectAutomaticallyAsync(ids, CancellationToken.None));
        var repeated = await BillingScope.WithApi(factory, api => api.CollectAutomaticallyAsync(ids, CancellationToken.None));

        Assert.Equal((true, false, false, true), (charged[ids[0]].Paid, charged[ids[1]].Paid, charged[ids[2]].Paid, charged[ids[3]].Paid));
        Assert.True(charged[ids[2]].Pending);
        Assert.True(charged[ids[0]].Charged.Amount > 0);
        var invoices = await BillingScope.InBilling(factory, db => db.Invoices.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id));
        Assert.Equal((InvoiceStatus.Paid, InvoiceStatus.Open, InvoiceStatus.Open, InvoiceStatus.Paid),
            (invoices[ids[0]].Status, invoices[ids[1]].Status, invoices[ids[2]].Status, invoices[ids[3]].Status));
        Assert.Equal(1, invoices[ids[1]].AutoPayFailures);   // the decline counted once, despite the repeat
        Assert.Equal(0, invoices[ids[2]].AutoPayFailures);   // no answer is no failure: PendingPaymentsJob asks again
        var payments = await BillingScope.InBilling(factory, db => db.Payments.AsNoTracking().Where(p => p.Automatic).ToListAsync());
        Assert.Equal(PaymentStatus.Pending, Assert.Single(payments, p => p.CustomerId == unanswered.UserId).Status);
        Assert.Equal(PaymentStatus.Failed, Assert.Single(payments, p => p.CustomerId == declined.UserId).Status);
        Assert.Equal(2, payments.Count(p => p.CustomerId == paying.UserId && p.Status == PaymentStatus.Succeeded));
        Assert.Equal(4, gateway.Inner.ChargesByKey.Count);
        Assert.All(gateway.Inner.ChargesByKey, c => Assert.Equal(1, c.Value));
        Assert.True(repeated[ids[0]].Paid && repeated[ids[3]].Paid && !repeated[ids[1]].Paid);
    }

    [Fact]
    public async Task The_automatic_payment_job_records_the_other_payments_of_a_batch_when_one_outcome_cannot_be_stored()
    {
        var gateway = new ScriptedGateway();
        await using var factory = new PostgresPortalFactory { Clock = Clock(), TestServices = s => s.AddSingleton<IPaymentGateway>(gateway) };
        var paying = await BillingCustomer.SignUpAsync(factory);
        var broken = await BillingCustomer.SignUpAsync(factory);
        // An answer that cannot be stored (a reference longer than the column) makes the batch's one save fail.
        gateway.Answers[broken.UserId] = GatewayResult.Paid(new string('x', 300));
        var issued = await BillingScope.WithApi(factory, api => api.CreateInvoicesAsync(
            [Renewal(broken, "b:1"), Renewal(paying, "p:1"), Renewal(paying, "p:2")], CancellationToken.None));

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AutomaticPaymentJob>().DrainAsync(CancellationToken.None);
        }

        var invoices = await BillingScope.InBilling(factory, db => db.Invoices.AsNoTracking().Where(i => i.CustomerId == paying.UserId || i.CustomerId == broken.UserId)
            .ToDictionaryAsync(i => i.Id));
        Assert.Equal(InvoiceStatus.Paid, invoices[issued[1].Invoice!.InvoiceId].Status);
        Assert.Equal(InvoiceStatus.Paid, invoices[issued[2].Invoice!.InvoiceId].Status);
        Assert.Equal(InvoiceStatus.Open, invoices[issued[0].Invoice!.InvoiceId].Status);
        var brokenPayment = await BillingScope.InBilling(factory, db => db.Payments.AsNoTracking().SingleAsync(p => p.CustomerId == broken.UserId));
        Assert.Equal(PaymentStatus.Pending, brokenPayment.Status);   // charged: PendingPaymentsJob records it once it can
    }

    [Fact]
    public async Task The_pending_payments_job_finishes_the_others_when_one_cannot_be_finished()
    {
        var gateway = new ScriptedGateway();
        var clock = Clock();
        await using var factory = new PostgresPortalFactory { Clock = clock, TestServices = s => s.AddSingleton<IPaymentGateway>(gateway) };
        var broken = await BillingCustomer.SignUpAsync(factory);
        var paying = await BillingCustomer.SignUpAsync(factory);
        gateway.Unanswered.Add(broken.UserId);
        gateway.Unanswered.Add(paying.UserId);
        var first = await BillingScope.WithApi(factory, api => api.CreateInvoiceAsync(Renewal(broken, "b:1"), CancellationToken.None));
        await BillingScope.WithApi(factory, api => api.CollectAutomaticallyAsync(first.InvoiceId, CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = await BillingScope.WithApi(factory, api => api.CreateInvoiceAsync(Renewal(paying, "p:1"), CancellationToken.None));
        await BillingScope.WithApi(factory, api => api.CollectAutomaticallyAsync(second.InvoiceId, CancellationToken.None));
        // The gateway answers now; the older payment's answer cannot be stored, and it comes first.
        gateway.Unanswered.Clear();
        gateway.Answers[broken.UserId] = GatewayResult.Paid(new string('x', 300));
        clock.Advance(TimeSpan.FromMinutes(10));

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PendingPaymentsJob>().RunAsync(CancellationToken.None);
        }

        Assert.Equal(InvoiceStatus.Paid, (await BillingScope.Stored(factory, second.InvoiceId)).Status);
        Assert.Equal(PaymentStatus.Pending, (await BillingScope.InBilling(factory, db => db.Payments.AsNoTracking().SingleAsync(p => p.CustomerId == broken.UserId))).Status);
    }
}
