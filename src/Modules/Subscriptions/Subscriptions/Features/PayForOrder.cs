using ChaosModular.Billing.Contracts;
using ChaosModular.Subscriptions.Data;
using ChaosModular.Subscriptions.Domain;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Subscriptions.Features;

internal enum OrderResult
{
    Completed,
    Declined,
    Pending,
    Refused,
}

internal sealed record OrderOutcome(OrderResult Result, string Message, Guid OrderId, string? InvoiceNumber = null)
{
    public bool Succeeded => Result == OrderResult.Completed;
}

/// <summary>
/// Pays for an order the customer confirmed: records it, has Billing issue its invoice and charge the
/// default method, and makes it take effect only when the charge succeeds. A decline voids the invoice
/// and cancels the order, so nothing is left half-done; a charge the payment service did not answer
/// stays open and completes when Billing reports the invoice paid. The order id comes from the review
/// page, so a double-clicked Confirm places one order.
/// </summary>
internal sealed class PayForOrder(SubscriptionsDbContext db, IBillingApi billing, CompleteOrder complete, TimeProvider clock)
{
    public async Task<OrderOutcome> HandleAsync(Order order, CreateInvoiceLine line, CancellationToken cancellationToken)
    {
        if (await billing.BillingInformationAsync(order.CustomerId, cancellationToken) is null)
        {
            return new OrderOutcome(OrderResult.Refused, "Add your billing information before buying.", order.Id);
        }
        db.Orders.Add(order);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            var placed = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == order.Id && o.CustomerId == order.CustomerId, cancellationToken);
            return placed is null ? new OrderOutcome(OrderResult.Refused, "This order could not be placed. Reload the page and try again.", order.Id) : Describe(placed);
        }

        if (order.Amount == 0)
        {
            // Nothing to pay now (added on the renewal day): the renewal invoice charges it with the next term.
            await complete.HandleAsync(order.Id, cancellationToken);
            return new OrderOutcome(OrderResult.Completed, "Done: nothing to pay until the renewal.", order.Id);
        }

        // From here on the order runs to an answer even if the browser goes away.
        var invoice = await billing.CreateInvoiceAsync(new CreateInvoice(order.CustomerId, order.Currency, [line], order.SourceReference), CancellationToken.None);
        order.Invoiced(invoice.InvoiceId, invoice.Number);
        await db.SaveChangesAsync(CancellationToken.None);

        var charge = await billing.ChargeInvoiceAsync(invoice.InvoiceId, order.SourceReference, CancellationToken.None);
        if (charge.Paid)
        {
            await complete.HandleAsync(order.Id, CancellationToken.None);
            return new OrderOutcome(OrderResult.Completed, $"Paid {invoice.Total} with invoice {invoice.Number}.", order.Id, invoice.Number);
        }
        if (charge.Pending)
        {
            return new OrderOutcome(OrderResult.Pending,
                $"The payment service has not answered yet. Your order will complete as soon as invoice {invoice.Number} is paid; you don't need to order again.", order.Id, invoice.Number);
        }
        var reason = charge.DeclineReason ?? "The payment was declined.";
        if (await billing.VoidInvoiceAsync(invoice.InvoiceId, $"Payment declined: {reason}", CancellationToken.None))
        {
            await CancelAsync(order.Id, reason);
        }
        return new OrderOutcome(OrderResult.Declined, $"Your payment was declined: {reason} Nothing was changed.", order.Id, invoice.Number);
    }

    private async Task CancelAsync(Guid orderId, string reason)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Orders.Where(o => o.Id == orderId && o.Status == OrderStatus.AwaitingPayment)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Cancelled).SetProperty(o => o.CancelReason, reason).SetProperty(o => o.ClosedUtc, now), CancellationToken.None);
    }

    private static OrderOutcome Describe(Order placed) => placed.Status switch
    {
        OrderStatus.Completed => new OrderOutcome(OrderResult.Completed, "This order was already placed and paid.", placed.Id, placed.InvoiceNumber),
        OrderStatus.Cancelled => new OrderOutcome(OrderResult.Declined, $"This order was already placed and declined: {placed.CancelReason}", placed.Id, placed.InvoiceNumber),
        _ => new OrderOutcome(OrderResult.Pending, "This order is already being processed.", placed.Id, placed.InvoiceNumber),
    };
}
