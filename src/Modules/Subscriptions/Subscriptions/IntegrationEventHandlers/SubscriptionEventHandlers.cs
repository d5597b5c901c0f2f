using ChaosModular.Accounts.Contracts;
using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Contracts.Events;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Notifications.Contracts;
using ChaosModular.Subscriptions.Contracts.Events;

namespace ChaosModular.Subscriptions.IntegrationEventHandlers;

/// <summary>
/// An order's invoice was paid some other way than the page that placed it: a charge the payment service
/// answered late, a renewal paid by a retry or by hand. The order takes effect now (once, whoever is first).
/// A customer who was told the payment is being confirmed is emailed that the order is complete (<see cref="EmailOrderOutcome"/>).
/// </summary>
internal sealed class CompleteOrderOnInvoicePaid(CompleteOrder complete, EmailOrderOutcome email) : IIntegrationEventHandler<InvoicePaid>
{
    public async Task HandleAsync(InvoicePaid integrationEvent, CancellationToken cancellationToken)
    {
        if (Order.ParseSourceReference(integrationEvent.SourceReference) is var orderId && orderId != Guid.Empty)
        {
            await complete.HandleAsync(orderId, cancellationToken);
            await email.HandleAsync(orderId, cancellationToken);
        }
    }
}

/// <summary>
/// An order's invoice was voided: a purchase whose charge was left unanswered and later declined (Billing voids
/// its invoice), or one voided by hand. The order is cancelled, so nothing it was for takes effect; when the page
/// that placed it saw the decline first, this does nothing. Renewal orders are left to the renewal job, which
/// finds the void invoice on its next run and expires the subscription with its reason, as it always has. A customer who was
/// told the payment is being confirmed is emailed that the order failed, with the reason (<see cref="EmailOrderOutcome"/>).
/// </summary>
internal sealed class CancelOrderOnInvoiceVoided(SubscriptionsDbContext db, CancelOrder cancel, EmailOrderOutcome email) : IIntegrationEventHandler<InvoiceVoided>
{
    public async Task HandleAsync(InvoiceVoided integrationEvent, CancellationToken cancellationToken)
    {
        var orderId = Order.ParseSourceReference(integrationEvent.SourceReference);
        if (orderId != Guid.Empty && await db.Orders.AsNoTracking().AnyAsync(o => o.Id == orderId && o.Kind != OrderKind.Renewal, cancellationToken))
        {
            await cancel.HandleAsync(orderId, integrationEvent.Reason, cancellationToken);
            await email.HandleAsync(orderId, cancellationToken);
        }
    }
}

/// <summary>
/// A paid order did not take effect (<see cref="CompleteOrder"/>): what was paid for its invoice goes on the customer's unapplied
/// credits with the reason, and Billing emails them. Billing grants it once per invoice, so a redelivered event credits nothing twice.
/// </summary>
internal sealed class RefundOnPaidOrderNotApplied(IBillingApi billing) : IIntegrationEventHandler<PaidOrderNotApplied>
{
    public async Task HandleAsync(PaidOrderNotApplied integrationEvent, CancellationToken cancellationToken)
    {
        if (integrationEvent.InvoiceId is { } invoiceId)
        {
            await billing.RefundToCreditAsync(new RefundToCredit(invoiceId, integrationEvent.Reason), cancellationToken);
        }
    }
}

/// <summary>Tells the customer their subscription expired; the email's key makes a redelivered event send it once.</summary>
internal sealed class ExpiryNoticeOnSubscriptionExpired(SubscriptionsDbContext db, IAccountsApi accounts, ICatalogApi catalog, INotificationsApi notifications)
    : IIntegrationEventHandler<SubscriptionExpired>
{
    public async Task HandleAsync(SubscriptionExpired integrationEvent, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == integrationEvent.SubscriptionId, cancellationToken);
        var customer = await accounts.FindCustomerAsync(integrationEvent.CustomerId, cancellationToken);
        if (subscription is null || customer is null)
        {
            return;
        }
        var product = (await catalog.ProductAsync(subscription.ProductCode, cancellationToken))?.Name ?? subscription.ProductCode;
        await notifications.QueueEmailAsync(new SubscriptionExpiredEmail($"subscription-expired:{integrationEvent.EventId:N}", customer.Email, customer.Name,
            Product: product,
            ExpiredOn: subscription.ExpiredOn,
            Reason: integrationEvent.Reason), cancellationToken);
    }
}
