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
/// A renewal run's batch of events comes at once and mostly names orders the run already completed, with nothing to email:
/// one query leaves those out.
/// </summary>
internal sealed class CompleteOrderOnInvoicePaid(SubscriptionsDbContext db, CompleteOrder complete, EmailOrderOutcome email) : IIntegrationEventBatchHandler<InvoicePaid>
{
    public Task HandleAsync(InvoicePaid integrationEvent, CancellationToken cancellationToken) => HandleManyAsync([integrationEvent], cancellationToken);

    public async Task HandleManyAsync(IReadOnlyList<InvoicePaid> integrationEvents, CancellationToken cancellationToken)
    {
        var orderIds = integrationEvents.Select(e => Order.ParseSourceReference(e.SourceReference)).Where(id => id != Guid.Empty).Distinct().ToList();
        if (orderIds.Count == 0)
        {
            return;
        }
        // Only an order still awaiting payment has anything to apply (CompleteOrder), and only one whose customer was told the
        // payment is being confirmed anything to email (EmailOrderOutcome): neither does anything for the others.
        var open = (await db.Orders.AsNoTracking()
            .Where(o => orderIds.Contains(o.Id) && (o.Status == OrderStatus.AwaitingPayment || o.PaymentUnansweredUtc != null))
            .Select(o => o.Id).ToListAsync(cancellationToken)).ToHashSet();
        foreach (var orderId in orderIds.Where(open.Contains))
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
