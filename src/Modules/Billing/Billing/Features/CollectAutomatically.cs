using ChaosModular.Notifications.Contracts;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Billing.Features;

/// <summary>
/// Makes an open invoice's current automatic payment attempt with the default payment method. A failure
/// counts toward <see cref="PaymentRetrySchedule"/> (after the last one the invoice is Overdue) and emails
/// the customer the next attempt's date. The hourly job does this for the invoices due; Billing's API for
/// one invoice when asked (a renewal charged on its renewal day). Each attempt's idempotency key names the
/// invoice and the attempt, so a repeated, concurrent or crashed call neither charges twice nor counts a
/// failure twice.
/// </summary>
internal sealed class CollectAutomatically(BillingDbContext db, PayInvoices pay, INotificationsApi notifications, TimeProvider clock,
    ILogger<CollectAutomatically> logger)
{
    public const string VoidedReason = "This invoice was voided; nothing is due.";
    public const string NoAttemptLeftReason = "No automatic payment attempt is left for this invoice; it can be paid on the Invoices page.";
    public const string InProgressReason = "Another payment of this invoice is in progress.";

    public static string AttemptKey(Guid invoiceId, int failures) => $"auto:{invoiceId:N}:{failures}";

    /// <summary>The outcome of the invoice's current attempt, or null when there is no such invoice.</summary>
    public async Task<PayInvoices.Outcome?> HandleAsync(Guid invoiceId, CancellationToken cancellationToken)
    {
        var invoice = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.Id == invoiceId, cancellationToken);
        if (invoice is null)
        {
            return null;
        }
        if (Settled(invoice) is { } settled)
        {
            return settled;
        }
        if (invoice.Status != InvoiceStatus.Open || invoice.NextAutoPayUtc is null)
        {
            return Nothing(invoice, NoAttemptLeftReason);
        }
        var failures = invoice.AutoPayFailures;
        if (failures > 0 && invoice.NextAutoPayUtc > clock.GetUtcNow().UtcDateTime)
        {
            // The last attempt was made and failed, and the next one is not due yet: asking again answers that attempt.
            return await pay.OutcomeOfAsync(invoice.CustomerId, AttemptKey(invoiceId, failures - 1), invoice.Currency, cancellationToken)
                ?? Nothing(invoice, $"The automatic payment failed. The next attempt is on {invoice.NextAutoPayUtc:yyyy-MM-dd}.");
        }

        var outcome = (await pay.HandleAsync(invoice.CustomerId, [invoiceId], AttemptKey(invoiceId, failures), automatic: true, cancellationToken)).Single();
        return await CountFailureAsync(invoiceId, failures, outcome, cancellationToken);
    }

    /// <summary>
    /// The current attempts of many invoices (a batch of the automatic payment job or of the renewal run), each as
    /// <see cref="HandleAsync"/> makes one, their payments started, charged and recorded together. An invoice whose attempt
    /// could not be made is logged and missing from the answer; the others go on.
    /// </summary>
    public async Task<Dictionary<Guid, PayInvoices.Outcome>> HandleManyAsync(IReadOnlyList<Guid> invoiceIds, CancellationToken cancellationToken)
    {
        var ids = invoiceIds.Distinct().ToList();
        var invoices = await db.Invoices.AsNoTracking().Where(i => ids.Contains(i.Id)).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var outcomes = new Dictionary<Guid, PayInvoices.Outcome>();
        var alone = new List<Guid>();
        var attempts = new List<(PayInvoices.OneInvoice Item, int Failures)>();
        foreach (var invoice in invoices)
        {
            if (Settled(invoice) is { } settled)
            {
                outcomes[invoice.Id] = settled;
            }
            else if (invoice.Status != InvoiceStatus.Open || invoice.NextAutoPayUtc is null)
            {
                outcomes[invoice.Id] = Nothing(invoice, NoAttemptLeftReason);
            }
            else if (invoice.AutoPayFailures > 0 && invoice.NextAutoPayUtc > now)
            {
                alone.Add(invoice.Id);   // the answer of the last attempt, as one invoice's
            }
            else
            {
                attempts.Add((new(invoice.Id, invoice.CustomerId, invoice.Currency, AttemptKey(invoice.Id, invoice.AutoPayFailures)), invoice.AutoPayFailures));
            }
        }
        var paid = attempts.Count == 0 ? new Dictionary<Guid, PayInvoices.Outcome>() : await pay.PayEachAsync(attempts.Select(a => a.Item).ToList(), automatic: true, cancellationToken);
        if (paid is null)
        {
            alone.AddRange(attempts.Select(a => a.Item.InvoiceId));
            attempts.Clear();
        }
        foreach (var (item, failures) in attempts)
        {
            await EachAsync(item.InvoiceId, async () => await CountFailureAsync(item.InvoiceId, failures, paid![item.InvoiceId], cancellationToken));
        }
        foreach (var id in alone)
        {
            await EachAsync(id, () => HandleAsync(id, cancellationToken));
        }
        return outcomes;

        async Task EachAsync(Guid invoiceId, Func<Task<PayInvoices.Outcome?>> step)
        {
            try
            {
                db.ChangeTracker.Clear();
                if (await step() is { } outcome)
                {
                    outcomes[invoiceId] = outcome;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One customer's problem (say, no billing information to email) must not stop the others' payments.
                logger.LogError(ex, "Automatic payment of invoice {InvoiceId} could not be completed; it is tried again on the next run", invoiceId);
            }
        }
    }

    /// <summary>A failed attempt counts toward the retry schedule once, and the customer is emailed the next attempt's date.</summary>
    private async Task<PayInvoices.Outcome> CountFailureAsync(Guid invoiceId, int failures, PayInvoices.Outcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Paid || outcome.Pending)
        {
            return outcome;
        }
        db.ChangeTracker.Clear();
        var current = await db.Invoices.SingleAsync(i => i.Id == invoiceId, cancellationToken);
        if (Settled(current) is { } settledMeanwhile)
        {
            return settledMeanwhile;
        }
        if (outcome.PaymentId is null && (current.PaymentLockUntilUtc > clock.GetUtcNow().UtcDateTime
            || await db.Invoices.Where(i => i.Id == invoiceId).HeldByPendingPayment(db).AnyAsync(cancellationToken)))
        {
            // Not this attempt's failure: someone else's payment holds the invoice and InvoicePaid follows if it succeeds.
            return outcome with { Reason = InProgressReason, Pending = true };
        }
        if (current.AutoPayFailures != failures || current.Status != InvoiceStatus.Open || current.Balance == 0)
        {
            return outcome;   // this attempt's failure was already counted
        }
        current.AutoPayFailed(clock.UtcNow());
        // The notice is queued before the failure is saved: its key makes a rerun after a crash send it once.
        var profile = await db.Profiles.AsNoTracking().SingleAsync(p => p.CustomerId == current.CustomerId, cancellationToken);
        await notifications.QueueEmailAsync(new PaymentFailedEmail($"autopay-failed:{invoiceId:N}:{failures}", profile.BillingEmail, profile.Name,
            Amount: current.BalanceDue,
            Invoices: [current.Number],
            Reason: outcome.Reason ?? "The payment could not be made.",
            NextAttempt: current.NextAutoPayUtc is { } next ? DateOnly.FromDateTime(next) : null), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        // Not Claims.RetryOnConflictAsync: a lost race means the failure is counted (or the payment's run counts it), so nothing is retried.
        catch (DbUpdateConcurrencyException)
        {
            // A concurrent call for the same attempt counted it first (or a payment claimed the invoice: the
            // next run finds this attempt's payment by its key and counts it then).
            db.ChangeTracker.Clear();
        }
        return outcome;
    }

    private static PayInvoices.Outcome? Settled(Invoice invoice) => invoice.Status switch
    {
        InvoiceStatus.Paid => new(invoice.Currency, true, null, Money.Zero(invoice.Currency), Money.Zero(invoice.Currency), [invoice.Number], null),
        InvoiceStatus.Void => Nothing(invoice, VoidedReason),
        _ => null,
    };

    private static PayInvoices.Outcome Nothing(Invoice invoice, string reason) =>
        new(invoice.Currency, false, reason, Money.Zero(invoice.Currency), Money.Zero(invoice.Currency), [invoice.Number], null);
}
