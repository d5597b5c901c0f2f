using ChaosModular.Billing.Contracts.Events;
using ChaosModular.Billing.Pdf;
using ChaosModular.Notifications.Contracts;
using Microsoft.Extensions.Options;

namespace ChaosModular.Billing.IntegrationEventHandlers;

/// <summary>
/// Sends the receipt to the billing email once a payment succeeds, with its PDF made when the email is sent
/// (<see cref="ReceiptAttachment"/>): a receipt PDF is about 130 KB, and a renewal run queues one per renewal. A run's
/// payments come as one batch: their payments and recipients read together and their emails queued together.
/// </summary>
internal sealed class ReceiptOnPaymentSucceeded(BillingDbContext db, INotificationsApi notifications)
    : IIntegrationEventBatchHandler<PaymentSucceeded>
{
    public Task HandleAsync(PaymentSucceeded integrationEvent, CancellationToken cancellationToken) =>
        HandleManyAsync([integrationEvent], cancellationToken);

    public async Task HandleManyAsync(IReadOnlyList<PaymentSucceeded> integrationEvents, CancellationToken cancellationToken)
    {
        var ids = integrationEvents.Select(e => e.PaymentId).Distinct().ToList();
        var payments = await db.Payments.AsNoTracking().Include(p => p.Allocations).Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var recipients = await PaymentEmailRecipient.FindManyAsync(db, payments.Values.Select(p => p.CustomerId).Distinct().ToList(), cancellationToken);
        await notifications.QueueEmailsAsync(ids.Select(id =>
        {
            var payment = payments.GetValueOrDefault(id) ?? throw new InvalidOperationException($"Payment {id} does not exist.");
            return Receipt(payment, recipients[payment.CustomerId]);
        }).ToList(), cancellationToken);
    }

    private static ReceiptEmail Receipt(Payment payment, (string Name, string Email) to) =>
        new($"receipt:{payment.Id:N}", to.Email, to.Name,
            Amount: new Money(payment.Amount + payment.CreditApplied, payment.Currency),
            Invoices: payment.Allocations.Select(a => a.InvoiceNumber).ToList(),
            PaidUtc: payment.CompletedUtc ?? payment.CreatedUtc,
            Method: payment.Amount > 0 ? payment.MethodDescription ?? "your card" : "your account credit")
        {
            Attachments = [EmailAttachment.RenderedWhenSent($"receipt-{ReceiptPdf.Number(payment)}.pdf", "application/pdf", ReceiptAttachment.RendererName, payment.Id.ToString("N"))],
        };
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

    /// <summary><see cref="FindAsync"/> for many customers in one query; throws when any of them has no billing information.</summary>
    public static async Task<IReadOnlyDictionary<string, (string Name, string Email)>> FindManyAsync(BillingDbContext db, IReadOnlyCollection<string> customerIds,
        CancellationToken cancellationToken)
    {
        var found = await db.Profiles.AsNoTracking().Where(p => customerIds.Contains(p.CustomerId))
            .ToDictionaryAsync(p => p.CustomerId, p => (p.Name, p.BillingEmail), StringComparer.Ordinal, cancellationToken);
        return customerIds.FirstOrDefault(id => !found.ContainsKey(id)) is { } missing
            ? throw new InvalidOperationException($"Customer {missing} has no billing information to send to.")
            : found;
    }
}
