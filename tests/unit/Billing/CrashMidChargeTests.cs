using System.Collections.Concurrent;
using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Features;
using ChaosModular.Billing.Gateways;
using ChaosModular.Billing.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Billing;

/// <summary>
/// The process dies between the gateway's charge and recording its answer: the payment stays Pending with the invoice's
/// claim lapsing after two minutes. Paying again (by hand, automatically, in a batch) must not charge the card a second
/// time; the pending payments job settles the first payment once, from the gateway's answer to the same idempotency key.
/// </summary>
public abstract class CrashMidChargeTests
{
    /// <summary>
    /// The simulated gateway (one charge per idempotency key, as Stripe's keys make it), whose first charge never returns:
    /// the card is charged, then the process that asked is gone. Counts the charges it made, by key.
    /// </summary>
    internal sealed class DyingGateway : IPaymentGateway
    {
        private readonly SimulatedGateway _inner = new();
        private int _died;

        public ConcurrentDictionary<string, int> ChargedKeys { get; } = new(StringComparer.Ordinal);

        /// <summary>Set once the first charge is made and its caller hangs for ever.</summary>
        public TaskCompletionSource Died { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);


        public async Task<GatewayResult> ChargeAsync(GatewayCharge charge, CancellationToken cancellationToken)
        {
            var result = await _inner.ChargeAsync(charge, cancellationToken);
            ChargedKeys.TryAdd(charge.IdempotencyKey, 0);
            if (Interlocked.Exchange(ref _died, 1) == 0)
            {
                Died.SetResult();
                await new TaskCompletionSource().Task;   // never answers: nothing after the call runs
            }
            return result;
        }
    }

    private protected abstract PortalFactory CreateFactory(FakeTimeProvider clock, DyingGateway gateway);

    [Fact]
    public async Task A_payment_whose_process_died_after_the_charge_is_not_charged_again_when_paid_again_and_is_settled_once_by_the_job()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero));
        var gateway = new DyingGateway();
        await using var factory = CreateFactory(clock, gateway);
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("EUR", 59m);

        // The first payment: the gateway charges, and the process dies before the answer is recorded.
        var dyingScope = factory.Services.CreateAsyncScope();
        _ = Task.Run(() => dyingScope.ServiceProvider.GetRequiredService<PayInvoices>()
            .HandleAsync(customer.UserId, [invoice.InvoiceId], $"manual:{customer.UserId}:{Guid.NewGuid():N}", automatic: false, CancellationToken.None));
        await gateway.Died.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var evidence = Assert.Single(await Payments(factory, customer.UserId));   // committed before the gateway was called
        Assert.Equal(PaymentStatus.Pending, evidence.Status);

        clock.Advance(TimeSpan.FromMinutes(3));   // past the payment's 2-minute claim

        var page = await customer.PayAsync(invoice.InvoiceId);
        Assert.Single(gateway.ChargedKeys);   // the card was not charged a second time
        Assert.Contains("A payment for this invoice is being confirmed", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Payment received", page, StringComparison.Ordinal);
        ChargeResult automatic;
        IReadOnlyDictionary<Guid, ChargeResult> batch;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            automatic = await scope.ServiceProvider.GetRequiredService<IBillingApi>().CollectAutomaticallyAsync(invoice.InvoiceId, CancellationToken.None);
        }
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            batch = await scope.ServiceProvider.GetRequiredService<IBillingApi>().CollectAutomaticallyAsync([invoice.InvoiceId], CancellationToken.None);
        }
        Assert.Equal((false, true), (automatic.Paid, automatic.Pending));
        Assert.Equal((false, true), (batch[invoice.InvoiceId].Paid, batch[invoice.InvoiceId].Pending));
        Assert.Single(gateway.ChargedKeys);
        Assert.Equal(0, (await BillingScope.Stored(factory, invoice.InvoiceId)).AutoPayFailures);   // held, not failed

        clock.Advance(TimeSpan.FromMinutes(5));   // the pending payment is no longer in flight
        await RunPendingPaymentsJob(factory);
        await RunPendingPaymentsJob(factory);

        Assert.Single(gateway.ChargedKeys);
        var settled = Assert.Single(await Payments(factory, customer.UserId));   // paying again made no second payment
        var stored = await BillingScope.Stored(factory, invoice.InvoiceId);
        Assert.Equal((evidence.Id, PaymentStatus.Succeeded, stored.Total), (settled.Id, settled.Status, settled.Amount));
        Assert.Equal((InvoiceStatus.Paid, stored.Total, (Guid?)null), (stored.Status, stored.AmountPaid, stored.PaymentLockId));
        Assert.Equal(1, await BillingScope.InBilling(factory, db => db.Set<PaymentAllocation>().CountAsync(a => a.InvoiceId == invoice.InvoiceId)));
        Assert.False(await BillingScope.InBilling(factory, db => db.Credits.AnyAsync(c => c.CustomerId == customer.UserId)));
    }

    private static Task<List<Payment>> Payments(PortalFactory factory, string customerId) =>
        BillingScope.InBilling(factory, db => db.Payments.AsNoTracking().Where(p => p.CustomerId == customerId).ToListAsync());

    private static async Task RunPendingPaymentsJob(PortalFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PendingPaymentsJob>().RunAsync(CancellationToken.None);
    }
}

public sealed class CrashMidChargeOnSqliteTests : CrashMidChargeTests
{
    private protected override PortalFactory CreateFactory(FakeTimeProvider clock, DyingGateway gateway) =>
        new SqlitePortalFactory { Clock = clock, TestServices = s => s.AddSingleton<IPaymentGateway>(gateway) };
}

public sealed class CrashMidChargeOnPostgresTests : CrashMidChargeTests
{
    private protected override PortalFactory CreateFactory(FakeTimeProvider clock, DyingGateway gateway) =>
        new PostgresPortalFactory { Clock = clock, TestServices = s => s.AddSingleton<IPaymentGateway>(gateway) };
}
