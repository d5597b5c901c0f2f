using System.ComponentModel;
using ChaosModular.Modules.Infrastructure.Hosting;
using ChaosModular.Modules.Infrastructure.Persistence;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Billing.Jobs;

/// <summary>
/// Charges open invoices with the default payment method on their due date, then on the retry
/// schedule (<see cref="PaymentRetrySchedule"/>); after the last failure the invoice is Overdue.
/// Each attempt is <see cref="CollectAutomatically"/>, whose keys make a repeated or crashed run
/// neither charge twice nor count a failure twice.
/// <para>
/// A run drains everything due: it enqueues drain jobs (<see cref="DrainFanOut"/>) and drains with them. Each drain
/// claims a batch of due invoices (<see cref="BatchSize"/>) for <see cref="ClaimFor"/>, attempts each one (one
/// failing invoice is logged and the others go on), and claims the next batch until none is left. A claim is not
/// released early, so an invoice is attempted once per run; a crashed batch's invoices are taken again once it lapses.
/// </para>
/// </summary>
internal sealed class AutomaticPaymentJob(BillingDbContext db, CollectAutomatically collect, DrainFanOut fanOut, TimeProvider clock, ILogger<AutomaticPaymentJob> logger)
{
    public const string JobId = "billing-automatic-payments";

    public const int BatchSize = 200;

    /// <summary>Shorter than the hourly run's interval, so an invoice whose attempt could not be made is tried again next run.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(30);

    [DisplayName("Charge invoices due today")]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        fanOut.Enqueue<AutomaticPaymentJob>(j => j.DrainAsync(CancellationToken.None));
        await DrainAsync(cancellationToken);
    }

    /// <summary>Attempts claimed batches of due invoices until none is left; returns how many this call attempted.</summary>
    [DisplayName("Charge invoices due today (a drain of the run)")]
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var attempted = 0;
        while (await ClaimBatchAsync(cancellationToken) is { Count: > 0 } batch)
        {
            foreach (var invoiceId in batch)
            {
                try
                {
                    db.ChangeTracker.Clear();
                    await collect.HandleAsync(invoiceId, cancellationToken);
                    attempted++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Automatic payment of invoice {InvoiceId} could not be attempted; it is tried again on the next run", invoiceId);
                }
            }
            db.ChangeTracker.Clear();
        }
        return attempted;
    }

    /// <summary>Claims up to <see cref="BatchSize"/> due invoices that no other run holds; empty when none is left.</summary>
    private async Task<List<Guid>> ClaimBatchAsync(CancellationToken cancellationToken)
    {
        var claimId = Guid.NewGuid();
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now.Add(ClaimFor);
        if (db.ClaimsWithSkipLocked())
        {
            return await db.Database.SqlQuery<Guid>($"""
                UPDATE billing.invoices SET "AutoPayClaimId" = {claimId}, "AutoPayClaimedUntilUtc" = {until}
                WHERE "Id" IN (
                    SELECT "Id" FROM billing.invoices
                    WHERE "Status" = 'Open' AND "NextAutoPayUtc" IS NOT NULL AND "NextAutoPayUtc" <= {now}
                        AND ("PaymentLockUntilUtc" IS NULL OR "PaymentLockUntilUtc" < {now})
                        AND ("AutoPayClaimedUntilUtc" IS NULL OR "AutoPayClaimedUntilUtc" <= {now})
                    ORDER BY "NextAutoPayUtc" LIMIT {BatchSize}
                    FOR UPDATE SKIP LOCKED)
                RETURNING "Id" AS "Value"
                """).ToListAsync(cancellationToken);
        }
        while (true)
        {
            var candidates = await Claimable(db.Invoices.AsNoTracking(), now).OrderBy(i => i.NextAutoPayUtc).Select(i => i.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (candidates.Count == 0)
            {
                return [];
            }
            // Not the version token: claiming for the job must not make a payment's or a void's saved copy stale.
            var claimed = await Claimable(db.Invoices, now).Where(i => candidates.Contains(i.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.AutoPayClaimId, claimId).SetProperty(i => i.AutoPayClaimedUntilUtc, until), cancellationToken);
            if (claimed > 0)
            {
                return await db.Invoices.AsNoTracking().Where(i => candidates.Contains(i.Id) && i.AutoPayClaimId == claimId).Select(i => i.Id).ToListAsync(cancellationToken);
            }
            // Another run claimed all of these between the read and the update: read the next ones.
        }
    }

    private static IQueryable<Invoice> Claimable(IQueryable<Invoice> invoices, DateTime now) =>
        invoices.Where(i => i.Status == InvoiceStatus.Open && i.NextAutoPayUtc != null && i.NextAutoPayUtc <= now
            && (i.PaymentLockUntilUtc == null || i.PaymentLockUntilUtc < now)
            && (i.AutoPayClaimedUntilUtc == null || i.AutoPayClaimedUntilUtc <= now));
}
