namespace ChaosModular.Subscriptions.Domain;

internal enum OrderKind
{
    AddSeats,
    Upgrade,
    NewSubscription,
    Renewal,
}

internal enum OrderStatus
{
    AwaitingPayment,
    Completed,
    Cancelled,
}

/// <summary>
/// Something a customer pays for before it happens: added seats, an upgrade, a new subscription
/// (Buy Again) or a renewal. The order is recorded before its invoice is issued, so a payment that
/// arrives later (a retried charge, a manual payment of the invoice) still knows what it was for.
/// It takes effect exactly once: completing claims it with a conditional update.
/// </summary>
internal sealed class Order
{
    private Order() { }

    public Guid Id { get; private set; }
    public string CustomerId { get; private set; } = "";
    public OrderKind Kind { get; private set; }

    /// <summary>The subscription changed, or the one a new subscription is bought again from.</summary>
    public Guid? SubscriptionId { get; private set; }

    /// <summary>The plan bought: the subscription's plan, or the upgrade's target.</summary>
    public string PlanCode { get; private set; } = "";

    /// <summary>Seats added, the seat count after an upgrade, a new subscription's seats, or the seats renewed.</summary>
    public int Seats { get; private set; }
    public string Currency { get; private set; } = "";

    /// <summary>The price per seat per term of the plan bought, kept for the subscription it creates or changes.</summary>
    public decimal PricePerSeat { get; private set; }

    /// <summary>The invoice's total before tax.</summary>
    public decimal Amount { get; private set; }

    /// <summary>For a renewal: the renewal date it pays for. One renewal order per subscription and date.</summary>
    public DateOnly? RenewalOf { get; private set; }

    /// <summary>For an upgrade: the plan it upgrades from, so a stale upgrade cannot apply twice.</summary>
    public string? FromPlanCode { get; private set; }

    /// <summary>
    /// For an upgrade: the seats the subscription had when the upgrade was priced (its price is the difference for exactly
    /// those seats). Null on upgrades placed before this was recorded.
    /// </summary>
    public int? FromSeats { get; private set; }
    /// <summary>An upgrade of fewer seats than the subscription had: those seats move to a new subscription (<see cref="Subscription.MoveSeatsTo"/>).</summary>
    public bool IsPartialUpgrade => Kind == OrderKind.Upgrade && FromSeats is { } fromSeats && Seats < fromSeats;

    public Guid? InvoiceId { get; private set; }
    public string? InvoiceNumber { get; private set; }
    public OrderStatus Status { get; private set; }
    public string? CancelReason { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public DateTime? ClosedUtc { get; private set; }

    /// <summary>
    /// When the page that placed the order was told the payment service had not answered: the customer was sent to the order's
    /// status page and is emailed when it completes or fails (<see cref="IntegrationEventHandlers.CompleteOrderOnInvoicePaid"/>,
    /// <see cref="IntegrationEventHandlers.CancelOrderOnInvoiceVoided"/>). Null for every order the page saw through.
    /// </summary>
    public DateTime? PaymentUnansweredUtc { get; private set; }

    /// <summary>Why a paid order did not take effect (the subscription moved on meanwhile); what was paid went back as credit.</summary>
    public string? NotAppliedReason { get; private set; }

    /// <summary>The renewal run's batch that holds this order (see <c>RenewSubscriptions</c>); set and read by conditional updates only.</summary>
    public Guid? ClaimId { get; private set; }

    /// <summary>Until when that batch holds it: no other run progresses it before then (a crashed run's claim simply lapses).</summary>
    public DateTime? ClaimedUntilUtc { get; private set; }

    public string SourceReference => $"subscriptions:order:{Id:N}";

    /// <summary>
    /// The id of a subscription's renewal order for one renewal date, the same in every run: runs placing the same
    /// renewals at once insert the same keys in the same order, so the second waits for the first and then finds it
    /// (a unique violation) instead of the two deadlocking over the unique index in different orders.
    /// </summary>
    public static Guid RenewalId(Guid subscriptionId, DateOnly renewalOf)
    {
        Span<byte> input = stackalloc byte[20];
        subscriptionId.TryWriteBytes(input);
        BitConverter.TryWriteBytes(input[16..], renewalOf.DayNumber);
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(input, hash);
        return new Guid(hash[..16]);
    }

    public static Order Place(Guid id, string customerId, OrderKind kind, Guid? subscriptionId, string planCode, int seats, string currency, decimal pricePerSeat,
        decimal amount, DateTime utcNow, DateOnly? renewalOf = null, string? fromPlanCode = null, int? fromSeats = null) => new()
        {
            FromSeats = fromSeats,
            Id = id,
            CustomerId = customerId,
            Kind = kind,
            SubscriptionId = subscriptionId,
            PlanCode = planCode,
            Seats = seats,
            Currency = currency,
            PricePerSeat = pricePerSeat,
            Amount = amount,
            RenewalOf = renewalOf,
            FromPlanCode = fromPlanCode,
            Status = OrderStatus.AwaitingPayment,
            CreatedUtc = utcNow,
        };

    public void PaymentUnanswered(DateTime utcNow) => PaymentUnansweredUtc = utcNow;

    public void Invoiced(Guid invoiceId, string invoiceNumber)
    {
        InvoiceId = invoiceId;
        InvoiceNumber = invoiceNumber;
    }

    /// <summary>
    /// How long an unpaid upgrade order holds the subscription's seats still (<see cref="Features.OpenUpgrades"/>): long enough for
    /// a payment the payment service answers late; an order a crash left without its invoice does not block seat changes for ever.
    /// </summary>
    public static readonly TimeSpan UpgradeHoldsSeatsFor = TimeSpan.FromDays(1);

    public static Guid ParseSourceReference(string? sourceReference) =>
        sourceReference is not null && sourceReference.StartsWith("subscriptions:order:", StringComparison.Ordinal)
            && Guid.TryParseExact(sourceReference["subscriptions:order:".Length..], "N", out var id)
            ? id
            : Guid.Empty;
}
