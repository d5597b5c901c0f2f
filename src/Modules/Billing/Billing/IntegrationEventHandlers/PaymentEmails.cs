using ChaosModular.Billing.Contracts.Events;
using ChaosModular.Billing.Pdf;
using ChaosModular.Notifications.Contracts;
using Microsoft.Extensions.Options;

namespace ChaosModular.Billing.IntegrationEventHandlers;

/// <summary>Sends the receipt, with its PDF, to the billing email once a payment succeeds.</summary>
internal sealed class ReceiptOnPaymentSucceeded(BillingDbContext db, INotificationsApi notifications, IOptions<BillingOptions> options)
    : IIntegrationEventHandler<PaymentSucceeded>
{
    public async Task HandleAsync(PaymentSucceeded integrationEvent, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking().Include(p => p.Allocations).SingleAsync(p => p.Id == integrationEvent.PaymentId, cancellationToken);
        var (name, email) = await PaymentEmailRecipient.FindAsync(db, payment.CustomerId, cancellationToken);
        var pdf = ReceiptPdf.Render(payment, options.Value.Seller, name, email);
        await notifications.QueueEmailAsync(new ReceiptEmail(
            $"receipt:{payment.Id:N}", email, name,
            Amount: new Money(payment.Amount + payment.CreditApplied, payment.Currency),
            Invoices: payment.Allocations.Select(a => a.InvoiceNumber).ToList(),
            PaidUtc: payment.CompletedUtc ?? payment.CreatedUtc,
            Method: payment.Amount > 0 ? payment.MethodDescription ?? "your card" : "your account credit")
        {
            Attachments = [new EmailAttachment($"receipt-{ReceiptPdf.Number(payment)}.pdf", "application/pdf", pdf)],
        }, cancellationToken);
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
