
namespace ChaosModular.Subscriptions.Domain;

/// <summary>
/// The price of seats added mid-term: seats × price per seat per term × days left until the renewal
/// date ÷ days in the current term, rounded to the currency's minor unit (half away from zero).
/// Days are whole calendar days in UTC. On the renewal day nothing is left of the term, so the added
/// seats cost nothing now and the renewal invoice charges them for the whole next term.
/// </summary>
internal static class Proration
{
    public static Money ForAddedSeats(int seats, Money pricePerSeatPerTerm, DateOnly today, DateOnly periodStart, DateOnly renewalDate)
    {
        if (seats <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(seats), seats, "Add at least one seat.");
        }
        if (renewalDate <= periodStart)
        {
            throw new ArgumentException("The renewal date must come after the period start.", nameof(renewalDate));
        }
        var termDays = renewalDate.DayNumber - periodStart.DayNumber;
        var daysLeft = Math.Clamp(renewalDate.DayNumber - today.DayNumber, 0, termDays);
        return new Money(seats * pricePerSeatPerTerm.Amount * daysLeft / termDays, pricePerSeatPerTerm.Currency).Rounded();
    }

    /// <summary>
    /// The price of an upgrade for the rest of the term: the new plan's price for the chosen seats minus what
    /// the current seats already paid, × days left ÷ days in the term, rounded like added seats. Never negative.
    /// </summary>
    public static Money ForUpgrade(int currentSeats, Money currentPricePerSeat, int newSeats, Money newPricePerSeat, DateOnly today, DateOnly periodStart, DateOnly renewalDate)
    {
        if (currentPricePerSeat.Currency != newPricePerSeat.Currency)
        {
            throw new ArgumentException("An upgrade keeps the subscription's currency.", nameof(newPricePerSeat));
        }
        if (newSeats < currentSeats)
        {
            throw new ArgumentOutOfRangeException(nameof(newSeats), newSeats, "An upgrade keeps at least the current seats.");
        }
        if (renewalDate <= periodStart)
        {
            throw new ArgumentException("The renewal date must come after the period start.", nameof(renewalDate));
        }
        var termDays = renewalDate.DayNumber - periodStart.DayNumber;
        var daysLeft = Math.Clamp(renewalDate.DayNumber - today.DayNumber, 0, termDays);
        var difference = newSeats * newPricePerSeat.Amount - currentSeats * currentPricePerSeat.Amount;
        return new Money(Math.Max(0m, difference * daysLeft / termDays), newPricePerSeat.Currency).Rounded();
    }

    public static int DaysLeft(DateOnly today, DateOnly periodStart, DateOnly renewalDate) =>
        Math.Clamp(renewalDate.DayNumber - today.DayNumber, 0, renewalDate.DayNumber - periodStart.DayNumber);
}
