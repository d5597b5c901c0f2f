
namespace ChaosModular.Billing.Features;

/// <summary>
/// A purchase in one call (<see cref="IBillingApi.PurchaseAsync"/>): issues the invoice once per source reference,
/// pays it with credits and the default card, and voids it when the payment is declined, now or later (then
/// <see cref="PayInvoices"/> voids it when it records the decline). The source reference is the payment's
/// idempotency key, so a repeated purchase answers the first one's outcome and charges nothing twice.
/// </summary>
internal sealed class Purchase(BillingDbContext db, IssueInvoice issue, PayInvoices pay, VoidInvoice voidInvoice)
{
    /// <summary>Whether <paramref name="payment"/> is the purchase of <paramref name="invoice"/>, whose decline voids it.</summary>
    public static bool IsPurchaseOf(Payment payment, Invoice invoice) =>
        !payment.Automatic && invoice.SourceReference is { } reference && payment.IdempotencyKey == PayInvoices.CurrencyKey(reference, payment.Currency);

    public static string DeclinedReason(string reason) => $"Payment declined: {reason}";

    public async Task<PurchaseResult> HandleAsync(CreateInvoice request, CancellationToken cancellationToken)
    {
        var reference = request.SourceReference ?? throw new ArgumentException("A purchase needs a source reference.", nameof(request));
        if (!await db.Profiles.AnyAsync(p => p.CustomerId == request.CustomerId && p.Country != "", cancellationToken))
        {
            return new PurchaseResult(PurchaseStatus.NoBillingInformation, null, null, null);
        }
        var invoice = await issue.HandleAsync(request, cancellationToken);
        if (invoice.Status == InvoiceStatus.Void)
        {
            // Asked again after a decline: the first answer stands.
            var first = await pay.OutcomeOfAsync(request.CustomerId, reference, invoice.Currency, cancellationToken);
            return Result(PurchaseStatus.Declined, invoice, first?.Reason ?? invoice.VoidReason);
        }
        if (invoice.Status == InvoiceStatus.Paid)
        {
            return Result(PurchaseStatus.Paid, invoice);
        }

        // From here on the purchase runs to an answer even if the caller goes away.
        var outcome = (await pay.HandleAsync(request.CustomerId, [invoice.Id], reference, automatic: false, CancellationToken.None)).Single();
        if (outcome.Paid)
        {
            return Result(PurchaseStatus.Paid, invoice);
        }
        if (outcome.Pending)
        {
            return Result(PurchaseStatus.Pending, invoice);
        }
        // A decline voided the invoice already; a payment refused before any charge (no card, an expired one) is voided here.
        var reason = outcome.Reason ?? "The payment was declined.";
        if (await voidInvoice.HandleAsync(invoice.Id, DeclinedReason(reason), CancellationToken.None))
        {
            return Result(PurchaseStatus.Declined, invoice, reason);
        }
        // Not voidable: someone else's payment holds or settled it (a concurrent purchase with the same reference).
        var status = await db.Invoices.AsNoTracking().Where(i => i.Id == invoice.Id).Select(i => i.Status).SingleAsync(CancellationToken.None);
        return Result(status == InvoiceStatus.Paid ? PurchaseStatus.Paid : PurchaseStatus.Pending, invoice);
    }

    private static PurchaseResult Result(PurchaseStatus status, Invoice invoice, string? declineReason = null) =>
        new(status, invoice.Id, invoice.Number, new Money(invoice.Total, invoice.Currency), declineReason);
}
