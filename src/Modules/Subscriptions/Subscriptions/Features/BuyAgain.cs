using System.Globalization;
using ChaosModular.Billing.Contracts;
using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Subscriptions.Features;

/// <summary>
/// Buys an expired subscription's plan again: a brand-new subscription from today at the catalog's
/// current price in the same currency, for the seats chosen in the cart.
/// </summary>
internal sealed class BuyAgain(SubscriptionsDbContext db, ICatalogApi catalog, PayForOrder pay, TimeProvider clock)
{
    public sealed record Quote(Subscription Expired, PlanSummary? Plan, string ProductName, int Seats, Money PricePerSeat, Money Total, DateOnly Start, DateOnly RenewsOn, string? Problem);

    /// <summary>Null when the customer has no such subscription.</summary>
    public async Task<Quote?> QuoteAsync(string customerId, Guid expiredId, int? seats, CancellationToken cancellationToken)
    {
        var s = await db.Subscriptions.AsNoTracking().SingleOrDefaultAsync(x => x.Id == expiredId && x.CustomerId == customerId, cancellationToken);
        if (s is null)
        {
            return null;
        }
        var plan = await catalog.PlanAsync(s.PlanCode, cancellationToken);
        var name = plan?.Product.Name ?? (await catalog.ProductAsync(s.ProductCode, cancellationToken))?.Name ?? s.ProductCode;
        var wanted = seats ?? s.Seats;
        var today = clock.Today();
        var price = plan?.PriceIn(s.Currency);
        var problem = s.Status != SubscriptionStatus.Expired ? "Only expired subscriptions can be bought again."
            : price is null ? $"{name} is no longer sold in {s.Currency}. Contact sales for a new offer."
            : wanted < 1 || wanted > AddSeats.MaxSeatsPerOrder ? $"Choose between 1 and {AddSeats.MaxSeatsPerOrder} seats."
            : null;
        var perSeat = price ?? Money.Zero(s.Currency);
        return new Quote(s, plan, name, wanted, perSeat, problem is null ? (perSeat * wanted).Rounded() : Money.Zero(s.Currency), today,
            Subscription.NextRenewal(today, s.Term), problem);
    }

    public async Task<OrderOutcome?> PlaceAsync(string customerId, Guid expiredId, int seats, Guid orderId, decimal expectedTotal, CancellationToken cancellationToken)
    {
        var quote = await QuoteAsync(customerId, expiredId, seats, cancellationToken);
        if (quote is null)
        {
            return null;
        }
        if (quote.Plan is null)
        {
            return new OrderOutcome(OrderResult.Refused, quote.Problem ?? "This product is no longer sold.", orderId);
        }
        if (OrderOutcome.Refusal(orderId, quote.Problem, quote.Total, expectedTotal) is { } refused)
        {
            return refused;
        }
        var order = Order.Place(orderId, customerId, OrderKind.NewSubscription, quote.Expired.Id, quote.Plan.Code, seats, quote.PricePerSeat.Currency,
            quote.PricePerSeat.Amount, quote.Total.Amount, clock.GetUtcNow().UtcDateTime);
        var description = string.Create(CultureInfo.InvariantCulture, $"{quote.ProductName}, {(quote.Plan.Term == BillingTerm.Annual ? "annual" : "monthly")} subscription");
        return await pay.HandleAsync(order, new CreateInvoiceLine(description, seats, quote.PricePerSeat.Amount, quote.Start, quote.RenewsOn.AddDays(-1), quote.Plan.Code), cancellationToken);
    }
}
