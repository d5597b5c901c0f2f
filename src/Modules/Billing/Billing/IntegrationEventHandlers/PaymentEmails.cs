using ChaosModular.Billing.Contracts.Events;
using ChaosModular.Billing.Pdf;
using ChaosModular.Notifications.Contracts;
using Microsoft.Extensions.Options;

namespace ChaosModular.Billing.IntegrationEventHandlers;

/// <summary>
/// Sends the receipt to the billing email once a payment succeeds, with its PDF made when the email is sent
/// (<see cref="ReceiptAttachment"/>): a receipt PDF is about 130 KB, and a renewal run queues one per renewal.
/// </summary>
internal sealed class ReceiptOnPaymentSucceeded(BillingDbContext db, INotificationsApi notifications)
    : IIntegrationEventHandler<PaymentSucceeded>
{
    public async Task HandleAsync(PaymentSucceeded integrationEvent, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking().Include(p => p.Allocations).SingleAsync(p => p.Id == integrationEvent.PaymentId, cancellationToken);
        var (name, email) = await PaymentEmailRecipient.FindAsync(db, payment.CustomerId, cancellationToken);
        await notifications.QueueEmailAsync(new ReceiptEmail(
            $"receipt:{payment.Id:N}", email, name,
            Amount: new Money(payment.Amount + payment.CreditApplied, payment.Currency),
            Invoices: payment.Allocations.Select(a => a.InvoiceNumber).ToList(),
            PaidUtc: payment.CompletedUtc ?? payment.CreatedUtc,
            Method: payment.Amount > 0 ? payment.MethodDescription ?? "your card" : "your account credit")
        {
            Attachments = [EmailAttachment.RenderedWhenSent($"receipt-{ReceiptPdf.Number(payment)}.pdf", "application/pdf", ReceiptAttachment.RendererName, payment.Id.ToString("N"))],
        }, cancellationToken);
    }
}

/// <summary>A receipt's PDF, made when its email is sent from the payment (its id is the reference) and the billing information.</summary>
internal sealed class ReceiptAttachment(BillingDbContext db, IOptions<BillingOptions> options) : IEmailAttachmentRenderer
{
    public const string RendererName = "billing-receipt";

    public string Name => RendererName;

    public async Task<byte[]> RenderAsync(string reference, CancellationToken cancellationToken)
    {
        var paymentId = Guid.ParseExact(reference, "N");
        var payment = await db.Payments.AsNoTracking().Include(p => p.Allocations).SingleAsync(p => p.Id == paymentId, cancellationToken);
        var (name, email) = await PaymentEmailRecipient.FindAsync(db, payment.CustomerId, cancellationToken);
        return ReceiptPdf.Render(payment, options.Value.Seller, name, email);
    }
}

internal static class PaymentEmailRecipient
{
    public static async Task<(string Name, string Email)> FindAsync(BillingDbContext db, string customerId, CancellationToken cancellationToken)
    {
        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.CustomerId == customerId, cancellationToken)
            ?? throw new InvalidOperationException($"Customer {customerId} has no billing information to send to.");
        return (profile.Name, profile.BillingEmail);
    }
}
