using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Features;
using ChaosModular.Billing.Gateways;
using ChaosModular.Billing.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Billing;

/// <summary>The payment provider down mid-charge: nothing is lost, nothing is charged twice.</summary>
public sealed class GatewayOutageTests
{
    /// <summary>The simulated gateway behind a switch; counts the charges that reach it.</summary>
    internal sealed class FlakyGateway : IPaymentGateway, IServerCardEntry
    {
        private readonly SimulatedGateway _inner = new();

        public bool Down { get; set; }

        /// <summary>Down the way an HTTP client timeout looks: a TaskCanceledException.</summary>
        public bool TimesOut { get; set; }
        public int Charges { get; private set; }

        public Task<GatewayCard> SaveCardAsync(string customerId, string customerEmail, CardInput card, CancellationToken cancellationToken) =>
            Down ? throw new HttpRequestException("connection refused") : _inner.SaveCardAsync(customerId, customerEmail, card, cancellationToken);

        public async Task<GatewayResult> ChargeAsync(GatewayCharge charge, CancellationToken cancellationToken)
        {
            if (TimesOut)
            {
                throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.");
            }
            if (Down)
            {
                throw new HttpRequestException("timeout");
            }
            Charges++;
            return await _inner.ChargeAsync(charge, cancellationToken);
        }
    }

    [Fact]
    public async Task An_unanswered_charge_stays_pending_holds_the_invoice_and_is_finished_by_the_retry_job()
    {
        var gateway = new FlakyGateway();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero));
        await using var factory = new SqlitePortalFactory { Clock = clock, TestServices = s => s.AddSingleton<IPaymentGateway>(gateway).AddSingleton<IServerCardEntry>(gateway) };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("EUR", 59m);

        gateway.Down = true;
        var page = await customer.PayAsync(invoice.InvoiceId);
        Assert.Contains("is being confirmed", page, StringComparison.Ordinal);
        Assert.Contains("please don't pay these invoices again", page, StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromMinutes(10));   // past the 2-minute claim: the invoice is still held
        var again = await customer.PayAsync(invoice.InvoiceId);
        Assert.Contains("A payment for this invoice is being confirmed", again, StringComparison.Ordinal);
        await RunRetryJob(factory);                // still down: nothing changes
        Assert.Equal(PaymentStatus.Pending, (await Payment(factory, customer.UserId)).Status);

        gateway.Down = false;
        await RunRetryJob(factory);
        await RunRetryJob(factory);

        Assert.Equal(1, gateway.Charges);
        Assert.Equal(PaymentStatus.Succeeded, (await Payment(factory, customer.UserId)).Status);
        await using var scope = factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<BillingDbContext>().Invoices.SingleAsync(i => i.Id == invoice.InvoiceId);
        Assert.Equal((InvoiceStatus.Paid, (Guid?)null), (stored.Status, stored.PaymentLockId));
    }

    [Fact]
    public async Task A_gateway_timeout_is_held_like_any_unanswered_charge()
    {
        var gateway = new FlakyGateway { TimesOut = true };
        await using var factory = new SqlitePortalFactory { TestServices = s => s.AddSingleton<IPaymentGateway>(gateway).AddSingleton<IServerCardEntry>(gateway) };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("EUR", 20m);

        var page = await customer.PayAsync(invoice.InvoiceId);

        Assert.Contains("is being confirmed", page, StringComparison.Ordinal);
        await using var scope = factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<BillingDbContext>().Invoices.AsNoTracking().SingleAsync(i => i.Id == invoice.InvoiceId);
        Assert.True(stored.PaymentLockUntilUtc > DateTime.UtcNow.AddMinutes(30));
    }

    [Fact]
    public async Task A_card_cannot_be_saved_while_the_provider_is_down_and_the_page_says_so()
    {
        var gateway = new FlakyGateway { Down = true };
        await using var factory = new SqlitePortalFactory { TestServices = s => s.AddSingleton<IPaymentGateway>(gateway).AddSingleton<IServerCardEntry>(gateway) };
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);

        var response = await customer.AddCardAsync("4242424242424242");

        Assert.Contains("your card was not saved", PortalClient.Decode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<BillingDbContext>().PaymentMethods.AnyAsync(m => m.CustomerId == customer.UserId));
    }

    [Fact]
    public async Task An_unanswered_charge_through_the_contract_is_pending_and_holds_the_invoice()
    {
        var gateway = new FlakyGateway();
        await using var factory = new SqlitePortalFactory { TestServices = s => s.AddSingleton<IPaymentGateway>(gateway).AddSingleton<IServerCardEntry>(gateway) };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("EUR", 35m);
        gateway.Down = true;

        ChargeResult charge, collect;
        InvoiceState? state;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            charge = await scope.ServiceProvider.GetRequiredService<ChargeInvoice>().HandleAsync(invoice.InvoiceId, "order:pending", CancellationToken.None);
        }
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            collect = await scope.ServiceProvider.GetRequiredService<IBillingApi>().CollectAutomaticallyAsync(invoice.InvoiceId, CancellationToken.None);
            state = await scope.ServiceProvider.GetRequiredService<IBillingApi>().InvoiceStateAsync(invoice.InvoiceId, CancellationToken.None);
        }

        Assert.Equal((false, true, PayInvoices.UnansweredReason), (charge.Paid, charge.Pending, charge.DeclineReason));
        Assert.Equal((false, true), (collect.Paid, collect.Pending));   // held by the unanswered payment: no failure counted
        Assert.Equal(("Open", true), (state!.Status, state.PaymentInProgress));
        Assert.Equal(0, (await Invoice(factory, invoice.InvoiceId)).AutoPayFailures);
        Assert.Equal(0, gateway.Charges);
    }

    private static async Task<Invoice> Invoice(PortalFactory factory, Guid id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BillingDbContext>().Invoices.AsNoTracking().SingleAsync(i => i.Id == id);
    }

    private static async Task RunRetryJob(PortalFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PendingPaymentsJob>().RunAsync(CancellationToken.None);
    }

    private static async Task<Payment> Payment(PortalFactory factory, string customerId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BillingDbContext>().Payments.AsNoTracking().SingleAsync(p => p.CustomerId == customerId);
    }
}
