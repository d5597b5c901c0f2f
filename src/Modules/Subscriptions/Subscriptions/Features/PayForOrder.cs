using ChaosModular.Billing.Contracts;

namespace ChaosModular.Subscriptions.Features;

internal enum OrderResult
{
    Completed,
    Declined,
    Pending,
    Refused,
}

/// <param name="CreatedSubscriptionId">A subscription the order made besides the one it changed (a partial upgrade's), to show after it.</param>
internal sealed record OrderOutcome(OrderResult Result, string Message, Guid OrderId, string? InvoiceNumber = null, Guid? CreatedSubscriptionId = null)
{
    public bool Succeeded => Result == OrderResult.Completed;

    /// <summary>
    /// What every confirm checks before it places an order: the quote has no problem and its price is still the
    /// one the customer saw. Null when the order may be placed.
    /// </summary>
    /// <param name="whyPriceMoves">Said after the new price, e.g. " (the days left changed)".</param>
    public static OrderOutcome? Refusal(Guid orderId, string? problem, Money price, decimal confirmedPrice, string whyPriceMoves = "") =>
        problem is not null ? new OrderOutcome(OrderResult.Refused, problem, orderId)
        : price.Amount != confirmedPrice ? new OrderOutcome(OrderResult.Refused, $"The price is now {price}{whyPriceMoves}. Review it and confirm again.", orderId)
        : null;
}

/// <summary>
/// Pays for an order the customer confirmed: records it, then one purchase from Billing (issue the invoice and
/// charge the default method), and the order takes effect only when it is paid (<see cref="CompleteOrder"/>).
/// A decline (Billing has voided the invoice) or missing billing information cancels it (<see cref="CancelOrder"/>),
/// so nothing is left half-done; a charge the payment service did not answer stays open and completes or is
/// cancelled when Billing reports the invoice paid or voided. The order id comes from the review page, so a
/// double-clicked Confirm places one order.
/// </summary>
internal sealed class PayForOrder(SubscriptionsDbContext db, IBillingApi billing, CompleteOrder complete, CancelOrder cancel, TimeProvider clock)
{
    public const string NoBillingInformation = "Add your billing information before buying.";

    public async Task<OrderOutcome> HandleAsync(Order order, CreateInvoiceLine line, CancellationToken cancellationToken)
    {
        db.Orders.Add(order);
        if (!await db.TryInsertOnceAsync(cancellationToken))
        {
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
        var purchase = await billing.PurchaseAsync(new CreateInvoice(order.CustomerId, order.Currency, [line], order.SourceReference), CancellationToken.None);
        if (purchase is { InvoiceId: { } invoiceId, InvoiceNumber: { } number })
        {
            order.Invoiced(invoiceId, number);
        }
        if (purchase.Status == PurchaseStatus.Pending)
        {
            // The customer waits on the order's status page from here and is emailed the outcome.
            order.PaymentUnanswered(clock.GetUtcNow().UtcDateTime);
        }
        await db.SaveChangesAsync(CancellationToken.None);
        switch (purchase.Status)
        {
            case PurchaseStatus.Paid:
                await complete.HandleAsync(order.Id, CancellationToken.None);
                return new OrderOutcome(OrderResult.Completed, $"Paid {purchase.Total} with invoice {purchase.InvoiceNumber}.", order.Id, purchase.InvoiceNumber);
            case PurchaseStatus.Pending:
                return new OrderOutcome(OrderResult.Pending,
                    PendingMessage(purchase.InvoiceNumber),
                    order.Id, purchase.InvoiceNumber);
            case PurchaseStatus.NoBillingInformation:
                await cancel.HandleAsync(order.Id, NoBillingInformation, CancellationToken.None);
                return new OrderOutcome(OrderResult.Refused, NoBillingInformation, order.Id);
            default:
                var reason = purchase.DeclineReason ?? "The payment was declined.";
                await cancel.HandleAsync(order.Id, reason, CancellationToken.None);
                return new OrderOutcome(OrderResult.Declined, $"Your payment was declined: {reason} Nothing was changed.", order.Id, purchase.InvoiceNumber);
        }
    }

    public static string PendingMessage(string? invoiceNumber) =>
        $"The payment service has not answered yet. Your order completes as soon as invoice {invoiceNumber} is paid, and we email you when it does; you don't need to order again.";

    private static OrderOutcome Describe(Order placed) => placed.Status switch
    {
        OrderStatus.Completed => new OrderOutcome(OrderResult.Completed, "This order was already placed and paid.", placed.Id, placed.InvoiceNumber),
        // Refused before Billing issued anything: as if it had never been placed.
        OrderStatus.Cancelled when placed.InvoiceId is null => new OrderOutcome(OrderResult.Refused, placed.CancelReason ?? NoBillingInformation, placed.Id),
        OrderStatus.Cancelled => new OrderOutcome(OrderResult.Declined, $"This order was already placed and declined: {placed.CancelReason}", placed.Id, placed.InvoiceNumber),
        _ => new OrderOutcome(OrderResult.Pending, "This order is already being processed.", placed.Id, placed.InvoiceNumber),
    };
}
