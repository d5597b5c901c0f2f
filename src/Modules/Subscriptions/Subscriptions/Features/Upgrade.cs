using System.Globalization;
using ChaosModular.Billing.Contracts;
using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Subscriptions.Features;

/// <summary>
/// Upgrades a subscription to a higher product of the same term and currency (the catalog's upgrade
/// paths), paying the prorated difference (<see cref="Proration.ForUpgrade"/>) now; the next renewal
/// charges the new price. The customer may upgrade all their seats (and add more at the new product), or only some of them
/// (the guide's "quantity of the product you would like to be upgraded"): a partial upgrade moves those seats to a new
/// subscription with the same renewal date (<see cref="Subscription.MoveSeatsTo"/>), priced as the difference for just
/// those seats, and leaves the others on this one.
/// </summary>
internal sealed class Upgrade(SubscriptionsDbContext db, ICatalogApi catalog, PayForOrder pay, TimeProvider clock)
{
    public sealed record Quote(Subscription Subscription, string ProductName, IReadOnlyList<PlanSummary> Targets, PlanSummary? Target, int Seats,
        Money NewPricePerSeat, Money Price, int DaysLeft, int TermDays, string? Problem);

    /// <summary>Null when the customer has no such subscription.</summary>
    public async Task<Quote?> QuoteAsync(string customerId, Guid subscriptionId, string? toPlanCode, int? seats, CancellationToken cancellationToken)
    {
        var s = await db.Subscriptions.AsNoTracking().SingleOrDefaultAsync(x => x.Id == subscriptionId && x.CustomerId == customerId, cancellationToken);
        if (s is null)
        {
            return null;
        }
        var today = clock.Today();
        var name = (await catalog.ProductAsync(s.ProductCode, cancellationToken))?.Name ?? s.ProductCode;
        var targets = (await catalog.UpgradeTargetsAsync(s.PlanCode, cancellationToken)).Where(p => p.PriceIn(s.Currency) is not null).ToList();
        var target = toPlanCode is null ? targets.FirstOrDefault() : targets.FirstOrDefault(t => t.Code == toPlanCode);
        var wanted = seats ?? s.Seats;
        var termDays = s.RenewsOn.DayNumber - s.PeriodStart.DayNumber;
        var daysLeft = Proration.DaysLeft(today, s.PeriodStart, s.RenewsOn);
        var why = s.WhyCannotChange(today);
        // An expired subscription says so first; a missing upgrade path is told before a renewal in progress.
        var problem = why == CannotChange.Expired ? CannotChange.Expired.Explain("Upgrade")
            : targets.Count == 0 ? $"{name} has no upgrade."
            : target is null ? "Choose one of the offered upgrades."
            : why is { } renewing ? renewing.Explain("Upgrade")
            : wanted < 1 || wanted > s.Seats + AddSeats.MaxSeatsPerOrder ? SeatsProblem(s)
            : null;
        if (problem is not null || target is null)
        {
            return new Quote(s, name, targets, target, wanted, Money.Zero(s.Currency), Money.Zero(s.Currency), daysLeft, termDays, problem);
        }
        var newPrice = target.PriceIn(s.Currency)!.Value;
        var upgraded = IsPartial(s, wanted) ? wanted : s.Seats;
        var price = Proration.ForUpgrade(upgraded, s.PricePerSeatPerTerm, wanted, newPrice, today, s.PeriodStart, s.RenewsOn);
        return new Quote(s, name, targets, target, wanted, newPrice, price, daysLeft, termDays, null);
    }

    /// <summary>Fewer seats than the subscription has: those seats move to a new subscription, the others stay.</summary>
    public static bool IsPartial(Subscription subscription, int seats) => seats < subscription.Seats;

    public static string SeatsProblem(Subscription subscription) =>
        $"Choose between 1 and {subscription.Seats + AddSeats.MaxSeatsPerOrder} seats: fewer than your {subscription.Seats} move to a new subscription, the rest stay.";

    public async Task<OrderOutcome?> PlaceAsync(string customerId, Guid subscriptionId, string toPlanCode, int seats, Guid orderId, decimal expectedPrice, CancellationToken cancellationToken)
    {
        var quote = await QuoteAsync(customerId, subscriptionId, toPlanCode, seats, cancellationToken);
        if (quote is null)
        {
            return null;
        }
        if (quote.Target is null)
        {
            return new OrderOutcome(OrderResult.Refused, quote.Problem ?? "Choose one of the offered upgrades.", orderId);
        }
        if (OrderOutcome.Refusal(orderId, quote.Problem, quote.Price, expectedPrice, " (the days left changed)") is { } refused)
        {
            return refused;
        }
        var s = quote.Subscription;
        var order = Order.Place(orderId, customerId, OrderKind.Upgrade, s.Id, quote.Target.Code, seats, s.Currency, quote.NewPricePerSeat.Amount, quote.Price.Amount,
            clock.GetUtcNow().UtcDateTime, fromPlanCode: s.PlanCode, fromSeats: s.Seats);
        var description = IsPartial(s, seats)
            ? string.Create(CultureInfo.InvariantCulture, $"Upgrade {seats} of {s.Seats} seat(s) {quote.ProductName} → {quote.Target.Product.Name}, prorated {quote.DaysLeft}/{quote.TermDays} days")
            : string.Create(CultureInfo.InvariantCulture, $"Upgrade {quote.ProductName} → {quote.Target.Product.Name}: {seats} seat(s), prorated {quote.DaysLeft}/{quote.TermDays} days");
        var outcome = await pay.HandleAsync(order, new CreateInvoiceLine(description, 1, quote.Price.Amount, clock.Today(), s.RenewsOn.AddDays(-1), quote.Target.Code), cancellationToken);
        return outcome.Succeeded && IsPartial(s, seats)
            ? outcome with
            {
                CreatedSubscriptionId = order.Id,
                Message = string.Create(CultureInfo.InvariantCulture,
                    $"{seats} seat(s) are now {quote.Target.Product.Name}, a subscription of their own renewing on {s.RenewsOn:yyyy-MM-dd}; {s.Seats - seats} seat(s) stay on {quote.ProductName}. {outcome.Message}"),
            }
            : outcome;
    }
}
