
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

    /// <summary>The day it stopped: the end of its last paid period.</summary>
    public DateOnly? ExpiredOn { get; private set; }
    /// <summary>
    /// Legacy: the licence key Subscriptions issued before Licensing owned keys. No longer set; kept (column and value)
    /// so Licensing takes it over through <c>ISubscriptionsApi</c> and existing keys keep their values.
    /// </summary>
    public string? LicenseKey { get; private set; }
    public Guid Version { get; private set; }

    public Money PricePerSeatPerTerm => new(PricePerSeat, Currency);

    public bool IsAnnual => Term == Term.Annual;

    public static DateOnly NextRenewal(DateOnly from, Term term) => term == Term.Annual ? from.AddYears(1) : from.AddMonths(1);

    /// <summary>
    /// The renewal after <paramref name="renewsOn"/>, counted from the activation day so that a subscription
    /// started on 31 January renews on 28 February, then 31 March (not 28 March).
    /// </summary>
    public static DateOnly RenewalAfter(DateOnly activatedOn, DateOnly renewsOn, Term term)
    {
        var months = (renewsOn.Year - activatedOn.Year) * 12 + renewsOn.Month - activatedOn.Month;
        return term == Term.Annual ? activatedOn.AddYears(months / 12 + 1) : activatedOn.AddMonths(months + 1);
    }

    public static Subscription Start(Guid id, string customerId, string planCode, string productCode, string familyCode, Term term, Money pricePerSeat, int seats, DateOnly today)
    {
        if (seats < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(seats), seats, "A subscription has at least one seat.");
        }
        return new Subscription
        {
            Id = id,
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
            RenewsOn = NextRenewal(today, term),
            AutoRenew = true,
            Status = SubscriptionStatus.Active,
            Version = Guid.NewGuid(),
        };
    }

    /// <summary>Null when seats can be added or reduced and the plan upgraded today; otherwise why not.</summary>
    public CannotChange? WhyCannotChange(DateOnly today) =>
        Status != SubscriptionStatus.Active ? CannotChange.Expired
        : RenewsOn <= today ? CannotChange.BeingRenewed
        : null;

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

    /// <summary>Cancels a reduction asked for earlier.</summary>
    public string? KeepSeats()
    {
        if (SeatsFromRenewal is null)
        {
            return null;
        }
        SeatsFromRenewal = null;
        Version = Guid.NewGuid();
        return null;
    }

    /// <summary>The seats the next renewal invoice charges for.</summary>
    public int SeatsAtRenewal => SeatsFromRenewal ?? Seats;

    /// <summary>The renewal was paid: the next period starts on the old renewal date, with any reduction applied.</summary>
    public void Renew() => Renew(SeatsAtRenewal);

    /// <summary>
    /// The renewal order was paid: the next period starts on the old renewal date with the seats that order was placed
    /// and charged for, not with a seat count changed after the invoice was issued.
    /// </summary>
    public void Renew(int seats)
    {
        PeriodStart = RenewsOn;
        RenewsOn = RenewalAfter(ActivatedOn, RenewsOn, Term);
        Seats = seats;
        SeatsFromRenewal = null;
        Version = Guid.NewGuid();
    }

    public void Expire()
    {
        Status = SubscriptionStatus.Expired;
        ExpiredOn = RenewsOn;
        AutoRenew = false;
        Version = Guid.NewGuid();
    }

    public void Upgrade(string planCode, string productCode, string familyCode, Money pricePerSeat, int seats)
    {
        if (pricePerSeat.Currency != Currency)
        {
            throw new InvalidOperationException($"The subscription is billed in {Currency}, not {pricePerSeat.Currency}.");
        }
        PlanCode = planCode;
        ProductCode = productCode;
        FamilyCode = familyCode;
        PricePerSeat = pricePerSeat.Amount;
        Seats = seats;
        SeatsFromRenewal = null;
        Version = Guid.NewGuid();
    }

    /// <summary>
    /// A partial upgrade: <paramref name="seats"/> of these seats leave for a new subscription to <paramref name="planCode"/>
    /// that keeps this one's term, activation day, period and renewal date (so both renew on the same day, and on the same
    /// days after), and its auto-renewal. This one keeps the other seats; a reduction asked for earlier shrinks by the seats
    /// that left, and lapses when it would leave fewer than one seat.
    /// </summary>
    public Subscription MoveSeatsTo(Guid newId, int seats, string planCode, string productCode, string familyCode, Money pricePerSeat)
    {
        if (pricePerSeat.Currency != Currency)
        {
            throw new InvalidOperationException($"The subscription is billed in {Currency}, not {pricePerSeat.Currency}.");
        }
        if (seats < 1 || seats >= Seats)
        {
            throw new ArgumentOutOfRangeException(nameof(seats), seats, $"A partial upgrade moves between 1 and {Seats - 1} seats.");
        }
        Seats -= seats;
        SeatsFromRenewal = SeatsFromRenewal is { } reduced && reduced - seats >= 1 && reduced - seats < Seats ? reduced - seats : null;
        Version = Guid.NewGuid();
        return new Subscription
        {
            Id = newId,
            CustomerId = CustomerId,
            PlanCode = planCode,
            ProductCode = productCode,
            FamilyCode = familyCode,
            Term = Term,
            Currency = Currency,
            PricePerSeat = pricePerSeat.Amount,
            Seats = seats,
            ActivatedOn = ActivatedOn,
            PeriodStart = PeriodStart,
            RenewsOn = RenewsOn,
            AutoRenew = AutoRenew,
            Status = SubscriptionStatus.Active,
            Version = Guid.NewGuid(),
        };
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
