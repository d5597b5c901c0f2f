using System.ComponentModel;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChaosModular.Billing.Jobs;

/// <summary>
/// Finishes payments the gateway did not answer for (an outage, a timeout, a crash mid-charge): asks
/// again with the same idempotency key every five minutes until it answers. A provider being down
/// therefore loses no payment and never charges twice.
/// </summary>
internal sealed class PendingPaymentsJob(BillingDbContext db, PayInvoices pay, TimeProvider clock, IOptions<BillingOptions> options, ILogger<PendingPaymentsJob> logger)
{
    public const string JobId = "billing-pending-payments";

    [DisplayName("Finish unanswered payments")]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow().UtcDateTime - options.Value.AskAgainAfter;
        var pending = await db.Payments.AsNoTracking()
            .Where(p => p.Status == PaymentStatus.Pending && p.CreatedUtc < before)
            .OrderBy(p => p.CreatedUtc)
            .Select(p => p.Id)
            .Take(200)
            .ToListAsync(cancellationToken);
        foreach (var id in pending)
        {
            try
            {
                db.ChangeTracker.Clear();
                await pay.RetryPendingAsync(id, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One payment that cannot be finished must not keep the others pending; it is asked about again next run.
                logger.LogError(ex, "Pending payment {PaymentId} could not be finished; it is tried again on the next run", id);
            }
        }
    }
}
