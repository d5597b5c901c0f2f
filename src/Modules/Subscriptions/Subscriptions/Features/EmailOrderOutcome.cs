using ChaosModular.Accounts.Contracts;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Notifications.Contracts;

namespace ChaosModular.Subscriptions.Features;

/// <summary>
/// Emails the customer how an order ended that they were told is waiting for its payment (<see cref="Order.PaymentUnansweredUtc"/>):
/// completed, or failed with the reason. Called after the InvoicePaid or InvoiceVoided event has closed the order; the email's key
/// is the order's, so a redelivered event (or both events' handlers retried) sends it once. An order the placing page saw through
/// gets no email (the page said it all), and a paid order that no longer applied gets Billing's credit email instead.
/// </summary>
internal sealed class EmailOrderOutcome(SubscriptionsDbContext db, IAccountsApi accounts, ICatalogApi catalog, INotificationsApi notifications)
{
    public async Task HandleAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order is not { PaymentUnansweredUtc: not null } || order.Status == OrderStatus.AwaitingPayment
            || (order.Status == OrderStatus.Completed && order.NotAppliedReason is not null)
            || await accounts.FindCustomerAsync(order.CustomerId, cancellationToken) is not { } customer)
        {
            return;
        }
        var what = ShowOrder.Describe(order, (await catalog.PlanAsync(order.PlanCode, cancellationToken))?.Product.Name ?? order.PlanCode);
        var amount = new Money(order.Amount, order.Currency);
        EmailMessage email = order.Status == OrderStatus.Completed
            ? new OrderCompletedEmail($"order-completed:{order.Id:N}", customer.Email, customer.Name, what, amount, order.InvoiceNumber, order.Id)
            : new OrderFailedEmail($"order-failed:{order.Id:N}", customer.Email, customer.Name, what, amount, order.InvoiceNumber,
                order.CancelReason ?? "The payment was declined.", order.Id);
        await notifications.QueueEmailAsync(email, cancellationToken);
    }
}
