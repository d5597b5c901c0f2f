using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Features;
using ChaosModular.Billing.Jobs;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Notifications.Data;
using Microsoft.Extensions.Time.Testing;
using UglyToad.PdfPig;

using static ChaosModular.UnitTests.Billing.BillingScope;

namespace ChaosModular.UnitTests.Billing;

/// <summary>
/// A renewal charged on its renewal day through the contract, and an abandoned order's invoice voided:
/// both on the clock Billing's retry schedule runs on.
/// </summary>
public sealed class AutomaticCollectionAndVoidTests
{
    private static readonly DateOnly RenewalDay = new(2026, 3, 2);

    private static FakeTimeProvider RenewalMorning() => new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Collecting_automatically_charges_the_default_card_now_and_once()
    {
        await using var factory = new SqlitePortalFactory { Clock = RenewalMorning() };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await Create(factory, customer, 120m, dueOn: RenewalDay.AddDays(10));   // not due yet: asked for, it is charged now

        var first = await WithApi(factory, api => api.CollectAutomaticallyAsync(invoice.InvoiceId, CancellationToken.None));
        var again = await WithApi(factory, api => api.CollectAutomaticallyAsync(invoice.InvoiceId, CancellationToken.None));

        Assert.Equal(new ChargeResult(true, null, new Money(120m, "EUR"), Money.Zero("EUR")), first);
        Assert.Equal(new ChargeResult(true, null, Money.Zero("EUR"), Money.Zero("EUR")), again);   // already paid: nothing charged
        var payment = Assert.Single(await InBilling(factory, db => db.Payments.Where(p => p.CustomerId == customer.UserId).ToListAsync()));
        Assert.Equal((PaymentStatus.Succeeded, true, $"auto:{invoice.InvoiceId:N}:0:EUR"), (payment.Status, payment.Automatic, payment.IdempotencyKey));
        Assert.Equal(InvoiceStatus.Paid, (await Stored(factory, invoice.InvoiceId)).Status);
    }

    [Fact]
    public async Task A_declined_collection_counts_one_failure_and_sends_one_email_however_often_it_is_asked()
    {
        var clock = RenewalMorning();
        await using var factory = new SqlitePortalFactory { Clock = clock };
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000000002");
        var invoice = await Create(factory, customer, 99m, dueOn: RenewalDay);

        var first = await WithApi(factory, api => api.CollectAutomaticallyAsync(invoice.InvoiceId, CancellationToken.None));
        var second = await WithApi(factory, api => api.CollectAutomaticallyAsync(invoice.InvoiceId, CancellationToken.None));
        await RunJob(factory);   // the hourly job the same day: the next attempt is not due

        var declined = new ChargeResult(false, "Your card was declined.", Money.Zero("EUR"), Money.Zero("EUR"));
        Assert.Equal((declined, declined), (first, second));
        var stored = await Stored(factory, invoice.InvoiceId);
        Assert.Equal((InvoiceStatus.Open, 1, (DateTime?)new DateTime(2026, 3, 5, 0, 0, 0, DateTimeKind.Utc)), (stored.Status, stored.AutoPayFailures, stored.NextAutoPayUtc));
        Assert.Equal(1, await InBilling(factory, db => db.Payments.CountAsync(p => p.CustomerId == customer.UserId)));
        var notice = Assert.Single(await FailureEmails(factory, customer));
        Assert.Contains("2026-03-05", notice, StringComparison.Ordinal);

        clock.SetUtcNow(new DateTimeOffset(2026, 3, 5, 8, 0, 0, TimeSpan.Zero));
        await RunJob(factory);   // the second attempt, on schedule
        var retry = await WithApi(factory, api => api.CollectAutomaticallyAsync(invoice.InvoiceId, CancellationToken.None));   // answers that attempt

        Assert.False(retry.Paid);
        Assert.Equal(2, (await Stored(factory, invoice.InvoiceId)).AutoPayFailures);
        Assert.Equal([$"auto:{invoice.InvoiceId:N}:0:EUR", $"auto:{invoice.InvoiceId:N}:1:EUR"],
            await InBilling(factory, db => db.Payments.Where(p => p.CustomerId == customer.UserId).OrderBy(p => p.CreatedUtc).Select(p => p.IdempotencyKey).ToListAsync()));
        Assert.Equal(2, (await FailureEmails(factory, customer)).Count);
    }

    [Fact]
    public async Task Collecting_an_invoice_with_no_attempt_left_or_a_voided_one_charges_nothing()
    {
        await using var factory = new SqlitePortalFactory { Clock = RenewalMorning() };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var exhausted = await Create(factory, customer, 10m, dueOn: RenewalDay);
        var voided = await Create(factory, customer, 20m, dueOn: RenewalDay);
        await InBilling(factory, db => db.Invoices.Where(i => i.Id == exhausted.InvoiceId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InvoiceStatus.Overdue).SetProperty(i => i.NextAutoPayUtc, (DateTime?)null).SetProperty(i => i.AutoPayFailures, 4)));
        Assert.True(await WithApi(factory, api => api.VoidInvoiceAsync(voided.InvoiceId, "Order declined", CancellationToken.None)));

        var none = await WithApi(factory, api => api.CollectAutomaticallyAsync(exhausted.InvoiceId, CancellationToken.None));
        var forVoid = await WithApi(factory, api => api.CollectAutomaticallyAsync(voided.InvoiceId, CancellationToken.None));

        Assert.Equal((false, CollectAutomatically.NoAttemptLeftReason), (none.Paid, none.DeclineReason));
        Assert.Equal((false, CollectAutomatically.VoidedReason), (forVoid.Paid, forVoid.DeclineReason));
        Assert.Equal(0, await InBilling(factory, db => db.Payments.CountAsync(p => p.CustomerId == customer.UserId)));
    }

    [Fact]
    public async Task Only_an_unpaid_invoice_nobody_is_paying_can_be_voided()
    {
        var clock = RenewalMorning();
        await using var factory = new SqlitePortalFactory { Clock = clock };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var paid = await Create(factory, customer, 30m);
        var partlyPaid = await Create(factory, customer, 40m);
        var held = await Create(factory, customer, 50m);
        var lockExpired = await Create(factory, customer, 60m);
        var overdue = await Create(factory, customer, 70m);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ChargeInvoice>().HandleAsync(paid.InvoiceId, "order:paid", CancellationToken.None);
        }
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            (await db.Invoices.SingleAsync(i => i.Id == partlyPaid.InvoiceId)).ApplyPayment(new Money(10m, "EUR"), clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await InBilling(factory, db => db.Invoices.Where(i => i.Id == held.InvoiceId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.PaymentLockId, Guid.NewGuid()).SetProperty(i => i.PaymentLockUntilUtc, now.AddMinutes(1))));
        await InBilling(factory, db => db.Invoices.Where(i => i.Id == lockExpired.InvoiceId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.PaymentLockId, Guid.NewGuid()).SetProperty(i => i.PaymentLockUntilUtc, now.AddMinutes(-1))));
        await InBilling(factory, db => db.Invoices.Where(i => i.Id == overdue.InvoiceId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InvoiceStatus.Overdue)));

        var results = new Dictionary<Guid, bool>();
        foreach (var invoice in new[] { paid, partlyPaid, held, lockExpired, overdue })
        {
            results[invoice.InvoiceId] = await WithApi(factory, api => api.VoidInvoiceAsync(invoice.InvoiceId, "Order abandoned", CancellationToken.None));
        }

        Assert.Equal<bool>([false, false, false, true, true], results.Values);
        var stored = await InBilling(factory, db => db.Invoices.AsNoTracking().Where(i => i.CustomerId == customer.UserId).ToDictionaryAsync(i => i.Id));
        Assert.Equal(InvoiceStatus.Paid, stored[paid.InvoiceId].Status);
        Assert.Equal((InvoiceStatus.Open, 10m, (string?)null), (stored[partlyPaid.InvoiceId].Status, stored[partlyPaid.InvoiceId].AmountPaid, stored[partlyPaid.InvoiceId].VoidReason));
        Assert.Equal((InvoiceStatus.Open, (DateTime?)null), (stored[held.InvoiceId].Status, stored[held.InvoiceId].VoidedUtc));
        var voided = stored[overdue.InvoiceId];
        Assert.Equal((InvoiceStatus.Void, "Order abandoned", (DateTime?)now, (DateTime?)null), (voided.Status, voided.VoidReason, voided.VoidedUtc, voided.NextAutoPayUtc));
        Assert.True(await WithApi(factory, api => api.VoidInvoiceAsync(overdue.InvoiceId, "Order abandoned", CancellationToken.None)));   // a retried void
    }

    [Fact]
    public async Task A_voided_invoice_is_not_outstanding_not_payable_not_charged_automatically_and_its_pdf_says_void()
    {
        var clock = RenewalMorning();
        await using var factory = new SqlitePortalFactory { Clock = clock };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var kept = await Create(factory, customer, 15m);
        var abandoned = await Create(factory, customer, 250m);
        var version = (await Stored(factory, abandoned.InvoiceId)).Version;

        Assert.True(await WithApi(factory, api => api.VoidInvoiceAsync(abandoned.InvoiceId, "Order abandoned in the cart", CancellationToken.None)));

        Assert.NotEqual(version, (await Stored(factory, abandoned.InvoiceId)).Version);
        var list = PortalClient.Decode(await customer.Client.GetPageAsync("/billing"));
        Assert.Matches("data-testid=\"outstanding\">\\s*<li>15.00 EUR</li>\\s*</ul>", list);
        Assert.Contains("Order abandoned in the cart", list, StringComparison.Ordinal);
        Assert.Contains(">Void<", list, StringComparison.Ordinal);
        Assert.DoesNotContain($"/billing/pay?ids={abandoned.InvoiceId}", list, StringComparison.Ordinal);
        Assert.Contains("There is nothing to pay", await customer.Client.GetPageAsync($"/billing/pay?ids={abandoned.InvoiceId}"), StringComparison.Ordinal);

        using (var pdf = PdfDocument.Open(await (await customer.Client.GetAsync($"/billing/invoices/{abandoned.InvoiceId}/pdf")).Content.ReadAsByteArrayAsync()))
        {
            var text = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
            Assert.Contains("VOID", text, StringComparison.Ordinal);
            Assert.Contains("Status: Void", text, StringComparison.Ordinal);
            Assert.Contains("abandoned", text, StringComparison.Ordinal);
        }

        clock.SetUtcNow(new DateTimeOffset(2026, 3, 20, 10, 0, 0, TimeSpan.Zero));   // both past due
        await RunJob(factory);

        var payment = Assert.Single(await InBilling(factory, db => db.Payments.Include(p => p.Allocations).Where(p => p.CustomerId == customer.UserId).ToListAsync()));
        Assert.Equal(kept.InvoiceId, Assert.Single(payment.Allocations).InvoiceId);
        Assert.Equal((InvoiceStatus.Void, 0m), ((await Stored(factory, abandoned.InvoiceId)).Status, (await Stored(factory, abandoned.InvoiceId)).AmountPaid));
    }

    private static async Task<InvoiceSummary> Create(PortalFactory factory, BillingCustomer customer, decimal price, DateOnly? dueOn = null) =>
        await WithApi(factory, api => api.CreateInvoiceAsync(new CreateInvoice(customer.UserId, "EUR",
            [new CreateInvoiceLine("Chaos Vantage annual renewal", 1, price, null, null, "vantage")], DueOn: dueOn), CancellationToken.None));

    private static async Task<List<string>> FailureEmails(PortalFactory factory, BillingCustomer customer)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails
            .Where(e => e.ToAddress == customer.Email && e.Template == "payment-failed").Select(e => e.ModelJson).ToListAsync();
    }

    private static async Task RunJob(PortalFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AutomaticPaymentJob>().RunAsync(CancellationToken.None);
    }
}
