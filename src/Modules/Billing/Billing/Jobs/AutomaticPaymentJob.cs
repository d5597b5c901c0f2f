using System.ComponentModel;
using System.Globalization;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Features;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Notifications.Contracts;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Billing.Jobs;

/// <summary>
/// Charges open invoices with the default payment method on their due date, then on the retry
/// schedule (<see cref="PaymentRetrySchedule"/>); after the last failure the invoice is Overdue.
/// Each attempt's idempotency key names the invoice and the attempt, so a repeated or crashed run
/// neither charges twice nor counts a failure twice.
/// </summary>
internal sealed class AutomaticPaymentJob(BillingDbContext db, PayInvoices pay, INotificationsApi notifications, TimeProvider clock)
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
            .Select(i => new { i.Id, i.CustomerId, i.AutoPayFailures })
            .Take(1000)
            .ToListAsync(cancellationToken);
        foreach (var invoice in due)
        {
            await ChargeAsync(invoice.Id, invoice.CustomerId, invoice.AutoPayFailures, cancellationToken);
        }
    }

    private async Task ChargeAsync(Guid invoiceId, string customerId, int failures, CancellationToken cancellationToken)
    {
        var outcome = (await pay.HandleAsync(customerId, [invoiceId], $"auto:{invoiceId:N}:{failures}", automatic: true, cancellationToken)).SingleOrDefault();
        if (outcome is null || outcome.Paid || outcome.Pending)
        {
            return;
        }
        db.ChangeTracker.Clear();
        var invoice = await db.Invoices.SingleAsync(i => i.Id == invoiceId, cancellationToken);
        var heldByAnotherPayment = outcome.PaymentId is null && invoice.PaymentLockUntilUtc > clock.GetUtcNow().UtcDateTime;
        if (heldByAnotherPayment || invoice.AutoPayFailures != failures || invoice.Status != InvoiceStatus.Open || invoice.Balance == 0)
        {
            return;   // this attempt's failure was already counted, or the invoice was settled meanwhile
        }
        invoice.AutoPayFailed();
        // The notice is queued before the failure is saved: its key makes a rerun after a crash send it once.
        var profile = await db.Profiles.AsNoTracking().SingleAsync(p => p.CustomerId == customerId, cancellationToken);
        await notifications.QueueEmailAsync(new EmailRequest($"autopay-failed:{invoiceId:N}:{failures}", profile.BillingEmail, profile.Name,
            EmailTemplateNames.PaymentFailed, new Dictionary<string, string>
            {
                ["name"] = profile.Name,
                ["amount"] = invoice.BalanceDue.ToString(),
                ["invoices"] = invoice.Number,
                ["reason"] = outcome.Reason ?? "The payment could not be made.",
                ["nextAttempt"] = invoice.NextAutoPayUtc?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }
}
