using ChaosModular.Billing.Contracts.Events;
using ChaosModular.Modules.Infrastructure.Outbox;

namespace ChaosModular.Billing.Features;

/// <summary>
/// Voids an unpaid invoice nobody is paying, and announces it (<see cref="InvoiceVoided"/>) in the same
/// transaction: whatever the invoice was for must not take effect.
/// </summary>
internal sealed class VoidInvoice(BillingDbContext db, TimeProvider clock)
{
    /// <summary>True when the invoice is void now (also when it already was); false when it is paid, partly paid or being paid.</summary>
    public async Task<bool> HandleAsync(Guid invoiceId, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        // A payment's claim bumps the invoice's version: a void that lost to it reads the invoice again and finds it held or paid.
        return await db.RetryOnConflictAsync(async ct =>
        {
            var invoice = await db.Invoices.SingleOrDefaultAsync(i => i.Id == invoiceId, ct)
                ?? throw new InvalidOperationException($"Invoice {invoiceId} does not exist.");
            if (invoice.Status == InvoiceStatus.Void)
            {
                return true;   // a retried void
            }
            var now = clock.UtcNow();
            var unansweredPayment = invoice.PaymentLockId is { } lockId
                && await db.Payments.AnyAsync(p => p.Id == lockId && p.Status == PaymentStatus.Pending, ct);
            if (!invoice.CanBeVoided(now) || unansweredPayment)
            {
                return false;
            }
            Apply(db, invoice, reason, now);
            return true;
        }, cancellationToken);
    }

    /// <summary>Voids <paramref name="invoice"/> (tracked by <paramref name="db"/>) and queues its announcement; saved with the caller's changes.</summary>
    public static void Apply(BillingDbContext db, Invoice invoice, string reason, DateTime utcNow)
    {
        invoice.Void(reason, utcNow);
        db.Publish(new InvoiceVoided(Guid.NewGuid(), utcNow, invoice.Id, invoice.Number, invoice.CustomerId, invoice.SourceReference, invoice.VoidReason!));
    }
}
