
namespace ChaosModular.Billing.Features;

/// <summary>Charges one invoice now: credits first, the rest with the default card. Safe to repeat with the same key.</summary>
internal sealed class ChargeInvoice(BillingDbContext db, PayInvoices pay)
{
    public async Task<ChargeResult> HandleAsync(Guid invoiceId, string idempotencyKey, CancellationToken cancellationToken)
    {
        var customerId = await db.Invoices.AsNoTracking().Where(i => i.Id == invoiceId).Select(i => i.CustomerId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Invoice {invoiceId} does not exist.");
        return Result((await pay.HandleAsync(customerId, [invoiceId], idempotencyKey, automatic: false, cancellationToken)).Single());
    }

    /// <summary>A payment that did not succeed (yet) has charged nothing and spent no credit: they are restored on a decline.</summary>
    public static ChargeResult Result(PayInvoices.Outcome outcome) => outcome.Paid
        ? new(true, null, outcome.Charged, outcome.CreditApplied)
        : new(false, outcome.Reason, Money.Zero(outcome.Currency), Money.Zero(outcome.Currency), outcome.Pending);
}
