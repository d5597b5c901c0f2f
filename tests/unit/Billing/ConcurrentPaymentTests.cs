using System.Net;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;

namespace ChaosModular.UnitTests.Billing;

/// <summary>Two tabs, a double click, a retry: on PostgreSQL, concurrent pay requests charge exactly once.</summary>
public sealed class ConcurrentPaymentTests(PostgresPortalFactory factory) : IClassFixture<PostgresPortalFactory>
{
    private const int Tabs = 8;

    [Fact]
    public async Task Many_tabs_paying_the_same_invoice_at_once_charge_it_once()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("EUR", 120m);
        var tabs = new List<(PortalClient Client, List<KeyValuePair<string, string>> Form)>();
        for (var i = 0; i < Tabs; i++)
        {
            var tab = new PortalClient(factory.CreatePortalClient());
            Assert.Equal(HttpStatusCode.Redirect, (await tab.SignInAsync(customer.Email, customer.Password)).StatusCode);
            tabs.Add((tab, await customer.ReviewPaymentAsync(invoice.InvoiceId, tab)));
        }

        using var start = new SemaphoreSlim(0);
        var posts = tabs.Select(async t =>
        {
            await start.WaitAsync();
            var response = await customer.ConfirmPaymentAsync(invoice.InvoiceId, t.Form, t.Client);
            return await response.Content.ReadAsStringAsync();
        }).ToList();
        start.Release(Tabs);
        var pages = await Task.WhenAll(posts);

        Assert.Equal(1, pages.Count(p => p.Contains("Payment received", StringComparison.Ordinal)));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var payments = await db.Payments.Where(p => p.CustomerId == customer.UserId).ToListAsync();
        Assert.Equal(120m, Assert.Single(payments, p => p.Status == PaymentStatus.Succeeded).Amount);
        var stored = await db.Invoices.SingleAsync(i => i.Id == invoice.InvoiceId);
        Assert.Equal((InvoiceStatus.Paid, 120m), (stored.Status, stored.AmountPaid));
    }

    [Fact]
    public async Task A_double_click_with_one_idempotency_key_makes_one_payment()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("USD", 64.99m);
        var form = await customer.ReviewPaymentAsync(invoice.InvoiceId);

        using var start = new SemaphoreSlim(0);
        var clicks = Enumerable.Range(0, 4).Select(async _ =>
        {
            await start.WaitAsync();
            return await customer.ConfirmPaymentAsync(invoice.InvoiceId, form);
        }).ToList();
        start.Release(4);
        await Task.WhenAll(clicks);

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var payment = Assert.Single(await db.Payments.Where(p => p.CustomerId == customer.UserId).ToListAsync());
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        Assert.Equal(64.99m, (await db.Invoices.SingleAsync(i => i.Id == invoice.InvoiceId)).AmountPaid);
    }
}
