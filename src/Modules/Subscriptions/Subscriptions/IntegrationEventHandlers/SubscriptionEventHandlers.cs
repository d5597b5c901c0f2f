using System.Globalization;
using ChaosModular.Accounts.Contracts;
using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Contracts.Events;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Notifications.Contracts;
using ChaosModular.Subscriptions.Contracts.Events;
using ChaosModular.Subscriptions.Data;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.Subscriptions.Features;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Subscriptions.IntegrationEventHandlers;

/// <summary>
/// An order's invoice was paid some other way than the page that placed it: a charge the payment service
/// answered late, a renewal paid by a retry or by hand. The order takes effect now (once, whoever is first).
/// </summary>
internal sealed class CompleteOrderOnInvoicePaid(CompleteOrder complete) : IIntegrationEventHandler<InvoicePaid>
{
    public async Task HandleAsync(InvoicePaid integrationEvent, CancellationToken cancellationToken)
    {
        if (Order.ParseSourceReference(integrationEvent.SourceReference) is var orderId && orderId != Guid.Empty)
        {
            await complete.HandleAsync(orderId, cancellationToken);
        }
    }
}

/// <summary>
/// A purchase whose charge was left unanswered and later declined: like a decline on the page, its invoice
/// is voided and the order cancelled, so nothing is charged for it later. Renewals are left to the renewal
/// job, which follows Billing's retry schedule.
/// </summary>
internal sealed class CancelOrderOnPaymentFailed(SubscriptionsDbContext db, IBillingApi billing, TimeProvider clock) : IIntegrationEventHandler<PaymentFailed>
{
    public async Task HandleAsync(PaymentFailed integrationEvent, CancellationToken cancellationToken)
    {
        var invoiceIds = integrationEvent.InvoiceIds.ToList();
        var orders = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.AwaitingPayment && o.Kind != OrderKind.Renewal && o.InvoiceId != null && invoiceIds.Contains(o.InvoiceId.Value))
            .ToListAsync(cancellationToken);
        foreach (var order in orders)
        {
            if (await billing.VoidInvoiceAsync(order.InvoiceId!.Value, $"Payment declined: {integrationEvent.Reason}", cancellationToken))
            {
                var now = clock.GetUtcNow().UtcDateTime;
                await db.Orders.Where(o => o.Id == order.Id && o.Status == OrderStatus.AwaitingPayment)
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Cancelled).SetProperty(o => o.CancelReason, integrationEvent.Reason)
                        .SetProperty(o => o.ClosedUtc, now), cancellationToken);
            }
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
