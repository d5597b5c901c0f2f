using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Subscriptions.Domain;

internal enum SubscriptionStatus
{
    Active,
    Expired,
}

internal enum Term
{
    Monthly,
    Annual,
}

/// <summary>
/// A customer's subscription to one plan: seats at a price per seat per term in one currency, a
/// current period that ends on the renewal date, and whether it renews automatically.
/// </summary>
internal sealed class Subscription
{
    private Subscription() { }

    public Guid Id { get; private set; }
    public string CustomerId { get; private set; } = "";
    public string PlanCode { get; private set; } = "";
    public string ProductCode { get; private set; } = "";
    public string FamilyCode { get; private set; } = "";
    public Term Term { get; private set; }
    public string Currency { get; private set; } = "";
    public decimal PricePerSeat { get; private set; }
    public int Seats { get; private set; }

    /// <summary>A reduction the customer asked for; it takes effect at the next renewal.</summary>
    public int? SeatsFromRenewal { get; private set; }
    public DateOnly ActivatedOn { get; private set; }
    public DateOnly PeriodStart { get; private set; }

    /// <summary>The renewal date: the first day after the current period.</summary>
    public DateOnly RenewsOn { get; private set; }
    public bool AutoRenew { get; private set; }
    public SubscriptionStatus Status { get; private set; }
    public string? LicenseKey { get; private set; }
    public Guid Version { get; private set; }

    public Money PricePerSeatPerTerm => new(PricePerSeat, Currency);

    public static Subscription Start(string customerId, string planCode, string productCode, string familyCode, Term term, Money pricePerSeat, int seats, DateOnly today, string? licenseKey)
    {
        if (seats < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(seats), seats, "A subscription has at least one seat.");
        }
        return new Subscription
        {
            Id = Guid.NewGuid(),
            CustomerId = customerId,
            PlanCode = planCode,
            ProductCode = productCode,
            FamilyCode = familyCode,
            Term = term,
            Currency = pricePerSeat.Currency,
            PricePerSeat = pricePerSeat.Amount,
            Seats = seats,
            ActivatedOn = today,
            PeriodStart = today,
            RenewsOn = term == Term.Annual ? today.AddYears(1) : today.AddMonths(1),
            AutoRenew = true,
            Status = SubscriptionStatus.Active,
            LicenseKey = licenseKey,
            Version = Guid.NewGuid(),
        };
    }

    public Money PriceForAddedSeats(int seats, DateOnly today) => Proration.ForAddedSeats(seats, PricePerSeatPerTerm, today, PeriodStart, RenewsOn);

    /// <summary>Called once the added seats are paid.</summary>
    public void AddSeats(int seats)
    {
        Seats += seats;
        SeatsFromRenewal = SeatsFromRenewal is { } reduced ? reduced + seats : null;
        Version = Guid.NewGuid();
    }

    /// <summary>Null when done; otherwise why not.</summary>
    public string? ReduceSeatsAtRenewal(int seats)
    {
        if (seats < 1 || seats >= Seats)
        {
            return $"Choose between 1 and {Seats - 1} seats.";
        }
        SeatsFromRenewal = seats;
        Version = Guid.NewGuid();
        return null;
    }

    /// <summary>Null when done; otherwise the message naming the cut-off date.</summary>
    public string? SetAutoRenew(bool on, DateOnly today)
    {
        if (Status != SubscriptionStatus.Active || on == AutoRenew)
        {
            return Status != SubscriptionStatus.Active ? "This subscription has expired." : null;
        }
        if (on && !AutoRenewalWindow.CanEnable(today, RenewsOn))
        {
            return $"Auto-renewal could be enabled until {AutoRenewalWindow.LastDayToEnable(RenewsOn):yyyy-MM-dd}.";
        }
        if (!on && !AutoRenewalWindow.CanDisable(today, RenewsOn, Term == Term.Annual))
        {
            return $"Auto-renewal could be disabled until {AutoRenewalWindow.LastDayToDisable(RenewsOn, Term == Term.Annual):yyyy-MM-dd}.";
        }
        AutoRenew = on;
        Version = Guid.NewGuid();
        return null;
    }
}
