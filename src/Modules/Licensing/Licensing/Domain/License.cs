namespace ChaosModular.Licensing.Domain;

internal enum LicenseState
{
    Active,
    Expired,
}

/// <summary>
/// How a license's seats are spread: held by license servers, borrowed for offline use, allocated by the account's
/// organization to its members and guests, and free. An allocated seat is reserved for its user: the account's own
/// servers and borrows cannot take it, so every seat check counts all three.
/// </summary>
internal readonly record struct Availability(int Quantity, int InUse, int Borrowed, int Allocated)
{
    public int Taken => InUse + Borrowed + Allocated;

    /// <summary>Never below zero: a license that lost seats can hold more than it has until what is taken ends.</summary>
    public int Available => Math.Max(0, Quantity - Taken);

    /// <summary>Seats taken beyond the quantity (after a reduction or an expiry), which must be ended.</summary>
    public int OverAllocated => Math.Max(0, Taken - Quantity);

    /// <summary>Shares of the bar, in per cent of the larger of the quantity and what is taken, so they never exceed 100.</summary>
    public (double InUse, double Borrowed, double Allocated, double Free) Percentages()
    {
        var whole = Math.Max(Quantity, Taken);
        return whole == 0 ? (0, 0, 0, 0) : (100.0 * InUse / whole, 100.0 * Borrowed / whole, 100.0 * Allocated / whole, 100.0 * Available / whole);
    }
}

/// <summary>
/// The right to run one subscribed product on as many machines at once as the subscription has seats, until the end
/// of its paid period. It follows its subscription: every subscription event makes Licensing read the subscription's
/// current state and take it over, so events delivered twice, late or out of order end in the same state.
/// </summary>
internal sealed class License
{
    private License() { }

    public Guid Id { get; private set; }
    public string CustomerId { get; private set; } = "";
    public Guid SubscriptionId { get; private set; }
    public string ProductCode { get; private set; } = "";
    public string FamilyCode { get; private set; } = "";
    public string? LicenseType { get; private set; }
    public int Quantity { get; private set; }

    /// <summary>Seats leased by license servers (kept by the lease and borrow records of this license).</summary>
    public int InUse { get; private set; }

    /// <summary>Seats borrowed for offline use.</summary>
    public int Borrowed { get; private set; }

    /// <summary>Seats the account's organization allocated to its members and guests (kept by the allocation records).</summary>
    public int Allocated { get; private set; }

    /// <summary>The last day it may be used.</summary>
    public DateOnly ExpiresOn { get; private set; }
    public LicenseState State { get; private set; }

    /// <summary>
    /// The licence key for the family's versions that still use one (unique, never reused); null while the family has none.
    /// Once given it stays for the license's life: an upgrade within the family keeps it.
    /// </summary>
    public string? LicenseKey { get; private set; }

    /// <summary>The family's first version without keys when the key was given (its label: "for versions older than 4.1").</summary>
    public string? KeyForVersionsBefore { get; private set; }
    public DateTime UpdatedUtc { get; private set; }
    public Guid Version { get; private set; }

    /// <summary>License servers serve floating workstation and render node seats; a fixed seat is activated on its workstation.</summary>
    public bool CanBeServed => LicenseType != "FixedSeat";

    /// <summary>Only floating workstation seats are borrowed for offline use.</summary>
    public bool CanBeBorrowed => LicenseType == "FloatingWorkstation";

    public Availability Availability => new(State == LicenseState.Active ? Quantity : 0, InUse, Borrowed, Allocated);

    public static License For(Guid subscriptionId, string customerId, DateTime utcNow) => new()
    {
        Id = Guid.NewGuid(),
        SubscriptionId = subscriptionId,
        CustomerId = customerId,
        UpdatedUtc = utcNow,
        Version = Guid.NewGuid(),
    };

    /// <summary>Takes over the subscription's product, seats and paid period. True when anything changed.</summary>
    public bool Follow(string productCode, string familyCode, string? licenseType, int seats, DateOnly lastDay, bool active, DateTime utcNow)
    {
        var state = active ? LicenseState.Active : LicenseState.Expired;
        if (ProductCode == productCode && FamilyCode == familyCode && LicenseType == licenseType && Quantity == seats && ExpiresOn == lastDay && State == state)
        {
            return false;
        }
        (ProductCode, FamilyCode, LicenseType, Quantity, ExpiresOn, State) = (productCode, familyCode, licenseType, seats, lastDay, state);
        UpdatedUtc = utcNow;
        Version = Guid.NewGuid();
        return true;
    }

    /// <summary>Gives the license its key, once: false (and nothing changes) when it already has one.</summary>
    public bool GiveKey(string key, string forVersionsBefore, DateTime utcNow)
    {
        if (LicenseKey is not null)
        {
            return false;
        }
        (LicenseKey, KeyForVersionsBefore) = (key, forVersionsBefore);
        UpdatedUtc = utcNow;
        Version = Guid.NewGuid();
        return true;
    }
}
