namespace ChaosModular.Billing.Domain;

internal enum PaymentStatus
{
    Pending,
    Succeeded,
    Failed,
}

/// <summary>
/// One payment attempt, unique by its idempotency key: a double click, a second tab or a retry
/// with the same key finds this row instead of charging again.
/// </summary>
internal sealed class Payment
{
    private readonly List<PaymentAllocation> _allocations = [];

    private Payment() { }

    public Guid Id { get; private set; }
    public string IdempotencyKey { get; private set; } = "";
    public string CustomerId { get; private set; } = "";
    public string Currency { get; private set; } = "";

    /// <summary>Charged to the payment method (after credits).</summary>
    public decimal Amount { get; private set; }
    public decimal CreditApplied { get; private set; }
    public PaymentStatus Status { get; private set; }
    public Guid? PaymentMethodId { get; private set; }
    public string? MethodDescription { get; private set; }
    public string? GatewayReference { get; private set; }
    public string? FailureReason { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public DateTime? CompletedUtc { get; private set; }
    public bool Automatic { get; private set; }

    /// <summary>What the gateway was told; reused verbatim when the charge is asked again with the same key.</summary>
    public string Description { get; private set; } = "";

    /// <summary>Optimistic concurrency: a webhook and the retry job cannot both record the outcome.</summary>
    public Guid Version { get; private set; }
    public IReadOnlyList<PaymentAllocation> Allocations => _allocations;

    public static Payment Start(Guid id, string idempotencyKey, string customerId, string currency, decimal amount, decimal creditApplied,
        PaymentMethod? method, DateTime utcNow, bool automatic, string description) => new()
    {
        Description = description,
        Version = Guid.NewGuid(),
        Id = id,
        IdempotencyKey = idempotencyKey,
        CustomerId = customerId,
        Currency = currency,
        Amount = amount,
        CreditApplied = creditApplied,
        Status = PaymentStatus.Pending,
        PaymentMethodId = method?.Id,
        MethodDescription = method?.Description,
        CreatedUtc = utcNow,
        Automatic = automatic,
    };

    public void Allocate(Guid invoiceId, string invoiceNumber, decimal amount) =>
        _allocations.Add(new PaymentAllocation(Id, invoiceId, invoiceNumber, amount));

    public void Succeeded(string? gatewayReference, DateTime utcNow)
    {
        Version = Guid.NewGuid();
        Status = PaymentStatus.Succeeded;
        GatewayReference = gatewayReference;
        CompletedUtc = utcNow;
    }

    public void Failed(string reason, DateTime utcNow)
    {
        Version = Guid.NewGuid();
        Status = PaymentStatus.Failed;
        FailureReason = reason;
        CompletedUtc = utcNow;
    }
}

/// <summary>Credit a payment spent; given back if the charge fails.</summary>
internal sealed class CreditUse
{
    private CreditUse() { }

    public CreditUse(Guid paymentId, Guid creditId, decimal amount)
    {
        Id = Guid.NewGuid();
        PaymentId = paymentId;
        CreditId = creditId;
        Amount = amount;
    }

    public Guid Id { get; private set; }
    public Guid PaymentId { get; private set; }
    public Guid CreditId { get; private set; }
    public decimal Amount { get; private set; }
}

/// <summary>The part of a payment (card and credits together) that settled one invoice.</summary>
internal sealed class PaymentAllocation
{
    private PaymentAllocation() { }

    public PaymentAllocation(Guid paymentId, Guid invoiceId, string invoiceNumber, decimal amount)
    {
        Id = Guid.NewGuid();
        PaymentId = paymentId;
        InvoiceId = invoiceId;
        InvoiceNumber = invoiceNumber;
        Amount = amount;
    }

    public Guid Id { get; private set; }
    public Guid PaymentId { get; private set; }
    public Guid InvoiceId { get; private set; }
    public string InvoiceNumber { get; private set; } = "";
    public decimal Amount { get; private set; }
}

/// <summary>Money the vendor owes the customer (a refund, a goodwill credit), spent on invoices in its currency.</summary>
internal sealed class Credit
{
    private Credit() { }

    public Guid Id { get; private set; }
    public string CustomerId { get; private set; } = "";
    public string Currency { get; private set; } = "";
    public decimal Amount { get; private set; }
    public decimal Remaining { get; private set; }
    public string Reason { get; private set; } = "";
    public DateTime CreatedUtc { get; private set; }
    public Guid Version { get; private set; }

    /// <summary>What the credit was granted for, when it may be granted only once (unique): "invoice:{id}" for a paid invoice refunded to credit.</summary>
    public string? SourceReference { get; private set; }

    public static Credit Grant(string customerId, string currency, decimal amount, string reason, DateTime utcNow, string? sourceReference = null) => new()
    {
        SourceReference = sourceReference,
        Id = Guid.NewGuid(),
        CustomerId = customerId,
        Currency = currency,
        Amount = amount,
        Remaining = amount,
        Reason = reason,
        CreatedUtc = utcNow,
        Version = Guid.NewGuid(),
    };

    public void Restore(decimal amount)
    {
        Remaining = Math.Min(Amount, Remaining + amount);
        Version = Guid.NewGuid();
    }

    public void Spend(decimal amount)
    {
        if (amount <= 0 || amount > Remaining)
        {
            throw new InvalidOperationException($"Cannot spend {amount} of a credit with {Remaining} left.");
        }
        Remaining -= amount;
        Version = Guid.NewGuid();
    }
}

/// <summary>A saved card. Only what a customer needs to recognise it is kept; the gateway holds the rest.</summary>
internal sealed class PaymentMethod
{
    private PaymentMethod() { }

    public Guid Id { get; private set; }
    public string CustomerId { get; private set; } = "";
    public string Brand { get; private set; } = "";
    public string Last4 { get; private set; } = "";
    public int ExpiryMonth { get; private set; }
    public int ExpiryYear { get; private set; }
    public string GatewayToken { get; private set; } = "";
    public bool IsDefault { get; private set; }
    public DateTime AddedUtc { get; private set; }

    /// <summary>
    /// When the customer removed it (a soft delete, hidden by the context's query filter): payments made with it keep
    /// pointing at it and show its brand and last four digits.
    /// </summary>
    public DateTime? RemovedUtc { get; private set; }

    public string Description => $"{Brand} ending in {Last4}";

    public static PaymentMethod Save(string customerId, string brand, string last4, int expiryMonth, int expiryYear, string gatewayToken, bool isDefault, DateTime utcNow) => new()
    {
        Id = Guid.NewGuid(),
        CustomerId = customerId,
        Brand = brand,
        Last4 = last4,
        ExpiryMonth = expiryMonth,
        ExpiryYear = expiryYear,
        GatewayToken = gatewayToken,
        IsDefault = isDefault,
        AddedUtc = utcNow,
    };

    /// <summary>As printed on the card, MM/YYYY.</summary>
    public string Expiry => $"{ExpiryMonth:00}/{ExpiryYear}";

    public bool IsExpiredOn(DateOnly today) => IsExpiredOn(ExpiryYear, ExpiryMonth, today);

    /// <summary>A card is good through the last day of its expiry month.</summary>
    public static bool IsExpiredOn(int expiryYear, int expiryMonth, DateOnly today) => new DateOnly(expiryYear, expiryMonth, 1).AddMonths(1) <= today;

    public void MakeDefault(bool isDefault) => IsDefault = isDefault;

    /// <summary>Removed: no longer the default, never charged again; kept for the payments made with it.</summary>
    public void Remove(DateTime utcNow)
    {
        IsDefault = false;
        RemovedUtc ??= utcNow;
    }
}

/// <summary>Who invoices are made out to. Changes apply to invoices issued afterwards only.</summary>
internal sealed class BillingProfile
{
    private BillingProfile() { }

    public string CustomerId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string AddressLine1 { get; private set; } = "";
    public string? AddressLine2 { get; private set; }
    public string City { get; private set; } = "";
    public string PostalCode { get; private set; } = "";
    public string Country { get; private set; } = "";
    public string BillingEmail { get; private set; } = "";
    public string? VatId { get; private set; }
    public DateTime UpdatedUtc { get; private set; }

    /// <summary>
    /// When a card last became the default: Overdue invoices last attempted before then get one more automatic attempt
    /// the day after (see <c>RetryOverdueWithNewCard</c>).
    /// </summary>
    public DateTime? DefaultCardChangedUtc { get; private set; }

    public static BillingProfile Create(string customerId) => new() { CustomerId = customerId };

    public void Update(string name, string addressLine1, string? addressLine2, string city, string postalCode, string country, string billingEmail, string? vatId, DateTime utcNow)
    {
        Name = name;
        AddressLine1 = addressLine1;
        AddressLine2 = addressLine2;
        City = city;
        PostalCode = postalCode;
        Country = country;
        BillingEmail = billingEmail;
        VatId = string.IsNullOrWhiteSpace(vatId) ? null : Domain.VatId.Normalize(vatId);
        UpdatedUtc = utcNow;
    }

    public BillingSnapshot Snapshot() => new(Name, AddressLine1, AddressLine2, City, PostalCode, Country, BillingEmail, VatId);
}
