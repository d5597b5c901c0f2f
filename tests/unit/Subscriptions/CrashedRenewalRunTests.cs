using System.Runtime.CompilerServices;
using ChaosModular.Billing;
using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Gateways;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.Subscriptions.Features;
using ChaosModular.Subscriptions.Jobs;
using ChaosModular.UnitTests.Billing;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Subscriptions;

/// <summary>
/// The guide's "Renewals": running the job after a crash makes no second invoice or charge. On PostgreSQL with no job
/// server, so nothing but the next run (no InvoicePaid handler) finishes what the crashed one left.
/// </summary>
public sealed class CrashedRenewalRunTests
{
    private static readonly DateOnly RenewalDay = new(2026, 7, 2);

    public enum CrashPoint
    {
        /// <summary>Billing issued the renewal invoices; the run stops before recording them on the orders.</summary>
        AfterTheInvoicesWereIssued,

        /// <summary>Billing charged the renewal invoices; the run stops before completing the orders.</summary>
        AfterTheCharge,
    }

    /// <summary>
    /// Billing's API for Subscriptions, whose call at the crash point does its work and then stops the run the way a
    /// Worker shutting down does (an OperationCanceledException, which the renewal run lets through), once.
    /// </summary>
    private sealed class CrashingBillingApi(BillingApi inner, CrashPoint point, StrongBox<bool> crashed) : IBillingApi
    {
        private void CrashOnce(CrashPoint at)
        {
            if (at == point && !crashed.Value)
            {
                crashed.Value = true;
                throw new OperationCanceledException("The Worker stopped mid-run.");
            }
        }

        public async Task<IReadOnlyList<CreateInvoiceResult>> CreateInvoicesAsync(IReadOnlyList<CreateInvoice> requests, CancellationToken cancellationToken)
        {
            var issued = await inner.CreateInvoicesAsync(requests, cancellationToken);
            CrashOnce(CrashPoint.AfterTheInvoicesWereIssued);
            return issued;
        }

        public async Task<IReadOnlyDictionary<Guid, ChargeResult>> CollectAutomaticallyAsync(IReadOnlyList<Guid> invoiceIds, CancellationToken cancellationToken)
        {
            var charged = await inner.CollectAutomaticallyAsync(invoiceIds, cancellationToken);
            CrashOnce(CrashPoint.AfterTheCharge);
            return charged;
        }

        public Task<InvoiceSummary> CreateInvoiceAsync(CreateInvoice request, CancellationToken cancellationToken) => inner.CreateInvoiceAsync(request, cancellationToken);
        public Task<PurchaseResult> PurchaseAsync(CreateInvoice request, CancellationToken cancellationToken) => inner.PurchaseAsync(request, cancellationToken);
        public Task<ChargeResult> CollectAutomaticallyAsync(Guid invoiceId, CancellationToken cancellationToken) => inner.CollectAutomaticallyAsync(invoiceId, cancellationToken);
        public Task<bool> VoidInvoiceAsync(Guid invoiceId, string reason, CancellationToken cancellationToken) => inner.VoidInvoiceAsync(invoiceId, reason, cancellationToken);
        public Task<InvoiceState?> InvoiceStateAsync(Guid invoiceId, CancellationToken cancellationToken) => inner.InvoiceStateAsync(invoiceId, cancellationToken);
        public Task<CreditSummary?> RefundToCreditAsync(RefundToCredit request, CancellationToken cancellationToken) => inner.RefundToCreditAsync(request, cancellationToken);
        public Task<PaymentMethodSummary?> DefaultPaymentMethodAsync(string customerId, CancellationToken cancellationToken) => inner.DefaultPaymentMethodAsync(customerId, cancellationToken);
        public Task<BillingInformationSummary?> BillingInformationAsync(string customerId, CancellationToken cancellationToken) => inner.BillingInformationAsync(customerId, cancellationToken);
    }

    private static async Task RunRenewalsAsync(PortalFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RenewalJob>().RunAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(CrashPoint.AfterTheInvoicesWereIssued)]
    [InlineData(CrashPoint.AfterTheCharge)]
    public async Task A_renewal_run_that_crashed_midway_is_finished_by_the_next_run_with_one_invoice_and_one_charge(CrashPoint point)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(RenewalDay.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));
        var gateway = new CountingGateway();
        var crashed = new StrongBox<bool>();
        await using var factory = new PostgresPortalFactory
        {
            Clock = clock,
            TestServices = s => s.AddSingleton<IPaymentGateway>(gateway)
                .AddScoped<BillingApi>()
                .AddScoped<IBillingApi>(sp => new CrashingBillingApi(sp.GetRequiredService<BillingApi>(), point, crashed)),
        };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("corona-solo-monthly", "EUR", 2, RenewalDay.AddMonths(-1));

        await Assert.ThrowsAsync<OperationCanceledException>(() => RunRenewalsAsync(factory));
        Assert.True(crashed.Value);
        Assert.Equal(RenewalDay, (await factory.SubscriptionAsync(id)).RenewsOn);   // left unfinished

        // The next hourly run, once the crashed run's claim on the order (30 minutes) has lapsed.
        clock.Advance(RenewSubscriptions.ClaimFor + TimeSpan.FromMinutes(30));
        await RunRenewalsAsync(factory);
        await RunRenewalsAsync(factory);

        var renewed = await factory.SubscriptionAsync(id);
        Assert.Equal((SubscriptionStatus.Active, RenewalDay, new DateOnly(2026, 8, 2), 2), (renewed.Status, renewed.PeriodStart, renewed.RenewsOn, renewed.Seats));
        var order = Assert.Single(await factory.InSubscriptions(db => db.Orders.AsNoTracking().Where(o => o.SubscriptionId == id).ToListAsync()));
        Assert.Equal((OrderKind.Renewal, OrderStatus.Completed), (order.Kind, order.Status));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var invoice = Assert.Single(await db.Invoices.AsNoTracking().Where(i => i.CustomerId == customer.UserId).ToListAsync());
        Assert.Equal((order.InvoiceId, InvoiceStatus.Paid), (invoice.Id, invoice.Status));
        var payment = Assert.Single(await db.Payments.AsNoTracking().Where(p => p.CustomerId == customer.UserId).ToListAsync());
        Assert.Equal((PaymentStatus.Succeeded, invoice.Total), (payment.Status, payment.Amount));
        Assert.Equal(1, gateway.Charges);
    }
}
