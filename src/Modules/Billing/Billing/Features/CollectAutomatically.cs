using ChaosModular.Notifications.Contracts;

namespace ChaosModular.Billing.Features;

/// <summary>
/// Makes an open invoice's current automatic payment attempt with the default payment method. A failure
/// counts toward <see cref="PaymentRetrySchedule"/> (after the last one the invoice is Overdue) and emails
/// the customer the next attempt's date. The hourly job does this for the invoices due; Billing's API for
/// one invoice when asked (a renewal charged on its renewal day). Each attempt's idempotency key names the
/// invoice and the attempt, so a repeated, concurrent or crashed call neither charges twice nor counts a
/// failure twice.
/// </summary>
internal sealed class CollectAutomatically(BillingDbContext db, PayInvoices pay, INotificationsApi notifications, TimeProvider clock)
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
        if (outcome.PaymentId is null && current.PaymentLockUntilUtc > clock.GetUtcNow().UtcDateTime)
        {
            // Not this attempt's failure: someone else's payment holds the invoice and InvoicePaid follows if it succeeds.
            return outcome with { Reason = InProgressReason, Pending = true };
        }
        if (current.AutoPayFailures != failures || current.Status != InvoiceStatus.Open || current.Balance == 0)
        {
            return outcome;   // this attempt's failure was already counted
        }
        current.AutoPayFailed();
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
