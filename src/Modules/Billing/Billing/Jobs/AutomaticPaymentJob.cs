using System.ComponentModel;
using Hangfire;

namespace ChaosModular.Billing.Jobs;

/// <summary>
/// Charges open invoices with the default payment method on their due date, then on the retry
/// schedule (<see cref="PaymentRetrySchedule"/>); after the last failure the invoice is Overdue.
/// Each attempt is <see cref="CollectAutomatically"/>, whose keys make a repeated or crashed run
/// neither charge twice nor count a failure twice.
/// </summary>
internal sealed class AutomaticPaymentJob(BillingDbContext db, CollectAutomatically collect, TimeProvider clock)
{
    public const string JobId = "billing-automatic-payments";

    [DisplayName("Charge invoices due today")]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Invoices.AsNoTracking()
            .Where(i => i.Status == InvoiceStatus.Open && i.NextAutoPayUtc != null && i.NextAutoPayUtc <= now
                && (i.PaymentLockUntilUtc == null || i.PaymentLockUntilUtc < now))
            .OrderBy(i => i.NextAutoPayUtc)
            .Select(i => i.Id)
            .Take(1000)
            .ToListAsync(cancellationToken);
        foreach (var invoiceId in due)
        {
            await collect.HandleAsync(invoiceId, cancellationToken);
        }
    }
}
