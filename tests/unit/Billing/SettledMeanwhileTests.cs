using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Gateways;
using ChaosModular.Billing.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Billing;

/// <summary>
/// The guide's "Provider down": money the payment service took late, for an invoice settled while it did not answer,
/// becomes an unapplied credit rather than a second payment of the invoice or money lost.
/// </summary>
public sealed class SettledMeanwhileTests
{
    [Fact]
    public async Task Money_charged_late_for_an_invoice_settled_meanwhile_becomes_an_unapplied_credit_with_its_reason()
    {
        var gateway = new GatewayOutageTests.FlakyGateway();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero));
        await using var factory = new SqlitePortalFactory { Clock = clock, TestServices = s => s.AddSingleton<IPaymentGateway>(gateway).AddSingleton<IServerCardEntry>(gateway) };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("EUR", 59m);
        Assert.Contains("data-testid=\"credits\">None<", PortalClient.Decode(await customer.Client.GetPageAsync("/billing")), StringComparison.Ordinal);
        gateway.Down = true;
        Assert.Contains("is being confirmed", await customer.PayAsync(invoice.InvoiceId), StringComparison.Ordinal);

        // Nothing in the portal settles an invoice a Pending payment holds (PaymentHolds); this is the invoice settled
        // outside those rules while the payment service was silent (an older Worker's payment, a fix made by hand).
        clock.Advance(TimeSpan.FromMinutes(20));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            var stored = await db.Invoices.SingleAsync(i => i.Id == invoice.InvoiceId);
            stored.ApplyPayment(stored.BalanceDue, clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }

        // The payment service answers the retry job: the card was charged after all.
        gateway.Down = false;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PendingPaymentsJob>().RunAsync(CancellationToken.None);
        }

        Assert.Equal(1, gateway.Charges);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            var payment = await db.Payments.AsNoTracking().Include(p => p.Allocations).SingleAsync(p => p.CustomerId == customer.UserId);
            Assert.Equal((PaymentStatus.Succeeded, invoice.Total.Amount), (payment.Status, payment.Amount));
            Assert.Empty(payment.Allocations);   // it paid no invoice
            var settled = await db.Invoices.AsNoTracking().SingleAsync(i => i.Id == invoice.InvoiceId);
            Assert.Equal((InvoiceStatus.Paid, invoice.Total.Amount, (Guid?)null), (settled.Status, settled.AmountPaid, settled.PaymentLockId));   // paid once, not twice
            var credit = Assert.Single(await db.Credits.AsNoTracking().Where(c => c.CustomerId == customer.UserId).ToListAsync());
            Assert.Equal(("EUR", invoice.Total.Amount), (credit.Currency, credit.Remaining));
        }
        var page = PortalClient.Decode(await customer.Client.GetPageAsync("/billing"));
        Assert.Contains($"<li>{invoice.Total}</li>", page, StringComparison.Ordinal);
        Assert.Contains($"<li>{invoice.Total}: Payment ", page, StringComparison.Ordinal);
        Assert.Contains(" exceeded the invoices it was for</li>", page, StringComparison.Ordinal);
    }
}
