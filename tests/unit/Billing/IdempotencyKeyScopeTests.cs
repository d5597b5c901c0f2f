using ChaosModular.Billing.Data;
using ChaosModular.Billing.Features;

namespace ChaosModular.UnitTests.Billing;

public sealed class IdempotencyKeyScopeTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    [Fact]
    public async Task Another_customers_idempotency_key_neither_reveals_their_payment_nor_charges()
    {
        var first = await BillingCustomer.SignUpAsync(factory);
        var second = await BillingCustomer.SignUpAsync(factory);
        var theirs = await first.InvoiceAsync("EUR", 70m);
        var mine = await second.InvoiceAsync("EUR", 30m);
        var key = Guid.NewGuid().ToString("N");

        await using var scope = factory.Services.CreateAsyncScope();
        var pay = scope.ServiceProvider.GetRequiredService<PayInvoices>();
        Assert.True((await pay.HandleAsync(first.UserId, [theirs.InvoiceId], key, automatic: false, CancellationToken.None)).Single().Paid);
        var reused = (await pay.HandleAsync(second.UserId, [mine.InvoiceId], key, automatic: false, CancellationToken.None)).Single();

        Assert.False(reused.Paid);
        Assert.Empty(reused.InvoiceNumbers);
        Assert.Equal(0m, reused.Charged.Amount);
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        Assert.False(await db.Payments.AnyAsync(p => p.CustomerId == second.UserId));
        Assert.Equal(0m, (await db.Invoices.AsNoTracking().SingleAsync(i => i.Id == mine.InvoiceId)).AmountPaid);
    }
}
