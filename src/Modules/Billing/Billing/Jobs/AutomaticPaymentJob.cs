using System.ComponentModel;
using ChaosModular.Modules.Infrastructure.Hosting;
using ChaosModular.Modules.Infrastructure.Persistence;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChaosModular.Billing.Jobs;

/// <summary>
/// Charges open invoices with the default payment method on their due date, then on the retry
/// schedule (<see cref="PaymentRetrySchedule"/>); after the last failure the invoice is Overdue.
/// Each attempt is <see cref="CollectAutomatically"/>, whose keys make a repeated or crashed run
/// neither charge twice nor count a failure twice.
/// <para>
/// A run drains everything due: it enqueues drain jobs (<see cref="DrainFanOut"/>) and drains with them. Each drain
/// claims a batch of due invoices (<see cref="JobsOptions.DrainBatchSize"/>) for <see cref="ClaimFor"/>, attempts them together
/// (<see cref="CollectAutomatically.HandleManyAsync"/>: one failing invoice is logged and the others go on), and claims the next batch until none is left. A claim is not
/// released early, so an invoice is attempted once per run; a crashed batch's invoices are taken again once it lapses.
/// </para>
/// <para>Then Overdue invoices get their one attempt with a new default card (<see cref="RetryOverdueWithNewCard"/>).</para>
/// </summary>
internal sealed class AutomaticPaymentJob(BillingDbContext db, CollectAutomatically collect, RetryOverdueWithNewCard retryOverdue, DrainFanOut fanOut, TimeProvider clock,
    IOptions<JobsOptions> jobs, ILogger<AutomaticPaymentJob> logger)
{
    public const string JobId = "billing-automatic-payments";

    /// <summary>Shorter than the hourly run's interval, so an invoice whose attempt could not be made is tried again next run.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(30);

    [DisplayName("Charge invoices due today")]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        fanOut.Enqueue<AutomaticPaymentJob>(j => j.DrainAsync(CancellationToken.None));
        await DrainAsync(cancellationToken);
        db.ChangeTracker.Clear();
        // Overdue invoices have no attempt left on the schedule; a new default card gives them one more (the run is never concurrent).
        await retryOverdue.HandleAsync(cancellationToken);
    }

    /// <summary>Attempts claimed batches of due invoices until none is left; returns how many this call attempted.</summary>
    [DisplayName("Charge invoices due today (a drain of the run)")]
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var attempted = 0;
        while (await ClaimBatchAsync(cancellationToken) is { Count: > 0 } batch)
        {
            try
            {
                db.ChangeTracker.Clear();
                // One invoice's failure is logged by the batch and the others go on; it is tried again on the next run.
                attempted += (await collect.HandleManyAsync(batch, cancellationToken)).Count;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "A batch of {Count} automatic payments failed; its invoices are attempted one by one", batch.Count);
                attempted += await EachAsync(batch, cancellationToken);
            }
            db.ChangeTracker.Clear();
        }
        return attempted;
    }

    private async Task<int> EachAsync(List<Guid> batch, CancellationToken cancellationToken)
    {
        var attempted = 0;
        foreach (var invoiceId in batch)
        {
            try
            {
                db.ChangeTracker.Clear();
                if (await collect.HandleAsync(invoiceId, cancellationToken) is not null)
                {
                    attempted++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Automatic payment of invoice {InvoiceId} could not be attempted; it is tried again on the next run", invoiceId);
            }
        }
        return attempted;
    }

    /// <summary>Claims up to <see cref="JobsOptions.DrainBatchSize"/> due invoices that no other run holds; empty when none is left.</summary>
    private Task<List<Guid>> ClaimBatchAsync(CancellationToken cancellationToken) =>
        // Not the version token: claiming for the job must not make a payment's or a void's saved copy stale.
        db.ClaimBatchAsync(Claim, clock.GetUtcNow().UtcDateTime, ClaimFor, jobs.Value.DrainBatchSize, cancellationToken);

    private BatchClaim<Invoice, DateTime?> Claim => new(
        now => db.Invoices.Where(i => i.Status == InvoiceStatus.Open && i.NextAutoPayUtc != null && i.NextAutoPayUtc <= now
            && (i.AutoPayClaimedUntilUtc == null || i.AutoPayClaimedUntilUtc <= now)).FreeToClaim(db, now),
        i => i.Id, i => i.AutoPayClaimId, i => i.AutoPayClaimedUntilUtc, i => i.NextAutoPayUtc,
        (claimId, now, until, batchSize) => $"""
            UPDATE billing.invoices SET "AutoPayClaimId" = {claimId}, "AutoPayClaimedUntilUtc" = {until}
            WHERE "Id" IN (
                SELECT "Id" FROM billing.invoices
                WHERE "Status" = 'Open' AND "NextAutoPayUtc" IS NOT NULL AND "NextAutoPayUtc" <= {now}
                    AND ("PaymentLockUntilUtc" IS NULL OR "PaymentLockUntilUtc" < {now})
                    AND NOT EXISTS (SELECT 1 FROM billing.payments AS p WHERE p."Id" = invoices."PaymentLockId" AND p."Status" = 'Pending')
                    AND ("AutoPayClaimedUntilUtc" IS NULL OR "AutoPayClaimedUntilUtc" <= {now})
                ORDER BY "NextAutoPayUtc" LIMIT {batchSize}
                FOR UPDATE SKIP LOCKED)
            RETURNING "Id" AS "Value"
            """);
}
