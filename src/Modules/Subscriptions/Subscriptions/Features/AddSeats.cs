using System.Globalization;
using ChaosModular.Billing.Contracts;
using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Subscriptions.Features;

/// <summary>Adds seats now, prorated to the renewal date (<see cref="Proration.ForAddedSeats"/>); the seats count once paid.</summary>
internal sealed class AddSeats(SubscriptionsDbContext db, ICatalogApi catalog, PayForOrder pay, TimeProvider clock)
{
    public const int MaxSeatsPerOrder = 500;

    public sealed record Quote(Subscription Subscription, string ProductName, int Seats, Money Price, int DaysLeft, int TermDays, string? Problem);

    /// <summary>Null when the customer has no such subscription.</summary>
    public async Task<Quote?> QuoteAsync(string customerId, Guid subscriptionId, int seats, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == subscriptionId && s.CustomerId == customerId, cancellationToken);
        if (subscription is null)
        {
            return null;
        }
        var today = clock.Today();
        var name = (await catalog.ProductAsync(subscription.ProductCode, cancellationToken))?.Name ?? subscription.ProductCode;
        var problem = subscription.WhyCannotChange(today) is { } why ? why.Explain("Add seats")
            : await OpenUpgrades.AnyAsync(db, subscription.Id, clock.GetUtcNow().UtcDateTime, cancellationToken) ? OpenUpgrades.Message
            : seats < 1 || seats > MaxSeatsPerOrder ? $"Choose between 1 and {MaxSeatsPerOrder} seats."
            : null;
        var price = problem is null ? subscription.PriceForAddedSeats(seats, today) : Money.Zero(subscription.Currency);
        var termDays = subscription.RenewsOn.DayNumber - subscription.PeriodStart.DayNumber;
        return new Quote(subscription, name, seats, price, Proration.DaysLeft(today, subscription.PeriodStart, subscription.RenewsOn), termDays, problem);
    }

    /// <param name="expectedPrice">The price the customer confirmed; the order is refused if it is no longer the price.</param>
    public async Task<OrderOutcome?> PlaceAsync(string customerId, Guid subscriptionId, int seats, Guid orderId, decimal expectedPrice, CancellationToken cancellationToken)
    {
        var quote = await QuoteAsync(customerId, subscriptionId, seats, cancellationToken);
        if (quote is null)
        {
            return null;
        }
        if (OrderOutcome.Refusal(orderId, quote.Problem, quote.Price, expectedPrice, " (the days left changed)") is { } refused)
        {
            return refused;
        }
        var s = quote.Subscription;
        var today = clock.Today();
        var lastDay = s.RenewsOn.AddDays(-1);
        var order = Order.Place(orderId, customerId, OrderKind.AddSeats, s.Id, s.PlanCode, seats, s.Currency, s.PricePerSeat, quote.Price.Amount, clock.GetUtcNow().UtcDateTime);
        var description = string.Create(CultureInfo.InvariantCulture,
            $"{quote.ProductName}: {seats} added seat(s) × {s.PricePerSeatPerTerm} per {(s.IsAnnual ? "year" : "month")}, prorated {quote.DaysLeft}/{quote.TermDays} days");
        return await pay.HandleAsync(order, new CreateInvoiceLine(description, 1, quote.Price.Amount, today, lastDay, s.PlanCode), cancellationToken);
    }
}
