
namespace ChaosModular.Billing.Features;

/// <summary>
/// Which invoices a new payment may claim. A claim lasts minutes, but a payment recorded as Pending before its gateway
/// call (the process died before the answer was recorded, or the gateway did not answer) may have charged the card:
/// its invoices stay held until <see cref="Jobs.PendingPaymentsJob"/> learns the outcome from the gateway with the same
/// idempotency key, however long ago the claim lapsed. Every claim (manual, batch, automatic) goes through here.
/// </summary>
internal static class PaymentHolds
{
    public const string BeingConfirmedReason =
        "A payment for this invoice is being confirmed with the payment service. We will email your receipt as soon as it is; please don't pay it again meanwhile.";

    /// <summary>Unpaid-or-not, the invoices neither claimed now nor held by a Pending payment.</summary>
    public static IQueryable<Invoice> FreeToClaim(this IQueryable<Invoice> invoices, BillingDbContext db, DateTime now) =>
        invoices.Where(i => (i.PaymentLockUntilUtc == null || i.PaymentLockUntilUtc < now)
            && !db.Payments.Any(p => p.Id == i.PaymentLockId && p.Status == PaymentStatus.Pending));

    /// <summary>The invoices a Pending payment holds (whether or not its claim has lapsed).</summary>
    public static IQueryable<Invoice> HeldByPendingPayment(this IQueryable<Invoice> invoices, BillingDbContext db) =>
        invoices.Where(i => db.Payments.Any(p => p.Id == i.PaymentLockId && p.Status == PaymentStatus.Pending));

    /// <summary>The answer to a payment refused because a Pending payment holds its invoices: pending, not failed.</summary>
    public static PayInvoices.Outcome BeingConfirmed(string currency) =>
        new(currency, false, BeingConfirmedReason, Money.Zero(currency), Money.Zero(currency), [], null, Pending: true);
}
