using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Features;
using ChaosModular.Notifications.Data;

namespace ChaosModular.UnitTests.Billing;

/// <summary>On PostgreSQL: jobs retried or run twice at once issue, charge and void exactly once.</summary>
public sealed class BillingApiConcurrencyTests(PostgresPortalFactory factory) : IClassFixture<PostgresPortalFactory>
{
    private const int Callers = 8;

    /// <summary>Starts every call at once, each in a scope of its own (as separate job runs would).</summary>
    private Task<T[]> AtOnce<T>(int count, Func<IBillingApi, int, Task<T>> call) =>
        AtOnce(count, (IServiceProvider services, int i) => call(services.GetRequiredService<IBillingApi>(), i));

    private async Task<T[]> AtOnce<T>(int count, Func<IServiceProvider, int, Task<T>> call)
    {
        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, count).Select(async i =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            await start.WaitAsync();
            return await call(scope.ServiceProvider, i);
        }).ToList();
        start.Release(count);
        return await Task.WhenAll(calls);
    }

    private async Task<T> InBilling<T>(Func<BillingDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<BillingDbContext>());
    }

    private static CreateInvoice Order(BillingCustomer customer, decimal price, string? source = null) =>
        new(customer.UserId, "EUR", [new CreateInvoiceLine("Chaos Vantage annual", 1, price, null, null, "vantage")], source);

    [Fact]
    public async Task Concurrent_creates_with_one_source_reference_issue_one_invoice()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);

        var summaries = await AtOnce(Callers, (api, _) => api.CreateInvoiceAsync(Order(customer, 300m, "order:race"), CancellationToken.None));

        Assert.Single(summaries.Select(s => s.InvoiceId).Distinct());
        Assert.Equal(1, await InBilling(db => db.Invoices.CountAsync(i => i.CustomerId == customer.UserId)));
    }

    [Fact]
    public async Task Concurrent_automatic_collections_of_one_attempt_charge_once_and_count_one_failure()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000000002");
        await using var scope = factory.Services.CreateAsyncScope();
        var invoice = await scope.ServiceProvider.GetRequiredService<IBillingApi>().CreateInvoiceAsync(
            Order(customer, 45m) with { DueOn = DateOnly.FromDateTime(DateTime.UtcNow) }, CancellationToken.None);

        var results = await AtOnce(Callers, (api, _) => api.CollectAutomaticallyAsync(invoice.InvoiceId, CancellationToken.None));

        Assert.All(results, r => Assert.False(r.Paid));
        Assert.Equal(1, await InBilling(db => db.Payments.CountAsync(p => p.CustomerId == customer.UserId)));
        Assert.Equal(1, (await InBilling(db => db.Invoices.AsNoTracking().SingleAsync(i => i.Id == invoice.InvoiceId))).AutoPayFailures);
        var notifications = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        Assert.Equal(1, await notifications.Emails.CountAsync(e => e.ToAddress == customer.Email && e.Template == "payment-failed"));
    }

    [Fact]
    public async Task Voiding_and_paying_an_invoice_at_once_never_both_happen()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoices = new List<InvoiceSummary>();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var api = scope.ServiceProvider.GetRequiredService<IBillingApi>();
            for (var i = 0; i < Callers; i++)
            {
                invoices.Add(await api.CreateInvoiceAsync(Order(customer, 10m + i), CancellationToken.None));
            }
        }

        var outcomes = await AtOnce(Callers * 2, async (IServiceProvider services, int i) =>
        {
            var invoice = invoices[i / 2];
            return i % 2 == 0
                ? new Race(invoice.InvoiceId, await services.GetRequiredService<IBillingApi>().VoidInvoiceAsync(invoice.InvoiceId, "Order declined", CancellationToken.None), null)
                : new Race(invoice.InvoiceId, null, (await services.GetRequiredService<ChargeInvoice>().HandleAsync(invoice.InvoiceId, $"order:{invoice.InvoiceId:N}", CancellationToken.None)).Paid);
        });

        var stored = await InBilling(db => db.Invoices.AsNoTracking().Where(i => i.CustomerId == customer.UserId).ToDictionaryAsync(i => i.Id));
        var succeeded = await InBilling(db => db.Payments.Where(p => p.CustomerId == customer.UserId && p.Status == PaymentStatus.Succeeded).CountAsync());
        foreach (var invoice in invoices)
        {
            var voided = outcomes.Single(o => o.InvoiceId == invoice.InvoiceId && o.Voided is not null).Voided!.Value;
            var paid = outcomes.Single(o => o.InvoiceId == invoice.InvoiceId && o.Paid is not null).Paid!.Value;
            Assert.True(voided != paid, $"{invoice.Number}: voided {voided}, paid {paid}");
            Assert.Equal(voided ? InvoiceStatus.Void : InvoiceStatus.Paid, stored[invoice.InvoiceId].Status);
            Assert.Equal(voided ? 0m : invoice.Total.Amount, stored[invoice.InvoiceId].AmountPaid);
        }
        Assert.Equal(outcomes.Count(o => o.Paid == true), succeeded);
    }

    private sealed record Race(Guid InvoiceId, bool? Voided, bool? Paid);
}
