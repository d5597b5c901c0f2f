using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Features;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Modules.Abstractions.Outbox;
using ChaosModular.UnitTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosModular.UnitTests.Billing;

/// <summary>The contract Products, renewals and Buy Again bill through.</summary>
public sealed class BillingApiTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    private async Task<T> WithApi<T>(Func<IBillingApi, Task<T>> use)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<IBillingApi>());
    }

    [Fact]
    public async Task An_invoice_created_and_charged_through_the_contract_is_paid_once_and_announced()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);

        var invoice = await WithApi(api => api.CreateInvoiceAsync(new CreateInvoice(customer.UserId, "GBP",
        [
            new CreateInvoiceLine("Chaos Vantage, 2 added seats (prorated)", 2, 41.095m, new DateOnly(2026, 6, 1), new DateOnly(2026, 12, 31), "vantage"),
        ], SourceReference: "subscription:42:add-seats"), CancellationToken.None));
        var first = await WithApi(api => api.ChargeInvoiceAsync(invoice.InvoiceId, "add-seats:42:1", CancellationToken.None));
        var again = await WithApi(api => api.ChargeInvoiceAsync(invoice.InvoiceId, "add-seats:42:1", CancellationToken.None));

        Assert.Equal(new Money(82.19m, "GBP"), invoice.Total);   // 2 x 41.095 = 82.19, DE with VAT ID: reverse charge
        Assert.True(first.Paid);
        Assert.Equal(new Money(82.19m, "GBP"), first.Charged);
        Assert.Equal(first, again);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        Assert.Equal(1, await db.Payments.CountAsync(p => p.CustomerId == customer.UserId));
        var paidEvents = await db.Set<OutboxMessage>().Where(m => m.Type.EndsWith("InvoicePaid") && m.Payload.Contains("subscription:42:add-seats")).CountAsync();
        Assert.Equal(1, paidEvents);
    }

    [Fact]
    public async Task A_decline_through_the_contract_returns_the_reason_and_the_default_method_is_readable()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000009995");

        var method = await WithApi(api => api.DefaultPaymentMethodAsync(customer.UserId, CancellationToken.None));
        var invoice = await WithApi(api => api.CreateInvoiceAsync(new CreateInvoice(customer.UserId, "EUR",
            [new CreateInvoiceLine("Corona Solo monthly", 1, 49.90m, null, null, "corona-solo")]), CancellationToken.None));
        var result = await WithApi(api => api.ChargeInvoiceAsync(invoice.InvoiceId, "buy-again:7", CancellationToken.None));

        Assert.Equal(("Visa", "9995"), (method!.Brand, method.Last4));
        Assert.False(result.Paid);
        Assert.Equal("Your card has insufficient funds.", result.DeclineReason);
    }

    [Fact]
    public async Task Without_billing_information_no_invoice_is_issued()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            await db.Profiles.Where(p => p.CustomerId == customer.UserId).ExecuteDeleteAsync();
        }

        await Assert.ThrowsAsync<IssueInvoice.MissingBillingInformationException>(() =>
            WithApi(api => api.CreateInvoiceAsync(new CreateInvoice(customer.UserId, "EUR", [new CreateInvoiceLine("x", 1, 1m, null, null, null)]), CancellationToken.None)));
    }
}
