using ChaosModular.Notifications.Contracts;

namespace ChaosModular.Billing.Features;

/// <summary>
/// Puts what was paid for an invoice on the customer's unapplied credits when what it paid for did not take effect
/// (<see cref="IBillingApi.RefundToCreditAsync"/>), and emails them. The credit's source reference is unique, so a
/// retried request finds the first credit instead of granting a second one; the email's key makes it one email too.
/// </summary>
internal sealed class RefundInvoiceToCredit(BillingDbContext db, INotificationsApi notifications, TimeProvider clock)
{
    public const int MaxReasonLength = 200;

    public static string SourceReferenceOf(Guid invoiceId) => $"invoice:{invoiceId:N}";

    public async Task<CreditSummary?> HandleAsync(RefundToCredit request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Reason);
        var invoice = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.Id == request.InvoiceId, cancellationToken)
            ?? throw new InvalidOperationException($"Invoice {request.InvoiceId} does not exist.");
        if (invoice.AmountPaid <= 0)
        {
            return null;
        }
        var reference = SourceReferenceOf(invoice.Id);
        var reason = request.Reason.Length <= MaxReasonLength ? request.Reason : request.Reason[..(MaxReasonLength - 1)] + "…";
        db.Credits.Add(Credit.Grant(invoice.CustomerId, invoice.Currency, invoice.AmountPaid, reason, clock.GetUtcNow().UtcDateTime, reference));
        await db.TryInsertOnceAsync(cancellationToken);   // false: granted before (a retried event); that credit stands
        var credit = await db.Credits.AsNoTracking().SingleAsync(c => c.SourceReference == reference, cancellationToken);

        // Queued after the credit is stored, every time: its key sends it once, also when a crash came between the two.
        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.CustomerId == invoice.CustomerId, cancellationToken);
        if (profile is not null && !string.IsNullOrEmpty(profile.BillingEmail))
        {
            await notifications.QueueEmailAsync(new CreditGrantedEmail($"credit:{reference}", profile.BillingEmail, profile.Name,
                new Money(credit.Amount, credit.Currency), invoice.Number, credit.Reason), cancellationToken);
        }
        return new CreditSummary(credit.Id, new Money(credit.Amount, credit.Currency), credit.Reason);
    }
}
