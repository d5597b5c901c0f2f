
namespace ChaosModular.CloudCredits.Domain;

/// <summary>
/// Credits a customer received (bought with an order, included with a plan, a goodwill gesture). The grant
/// is the customer's pool: later issues allocate parts of it to organization members by its id.
/// </summary>
internal sealed class CreditGrant
{
    public const int MaxDescriptionLength = 200;

    private CreditGrant() { }

    public Guid Id { get; private set; }
    public string CustomerId { get; private set; } = "";

    /// <summary>Where the credits came from, as the customer sees it: "Chaos Cloud credits — order INV-2026-000123".</summary>
    public string Description { get; private set; } = "";

    public decimal Amount { get; private set; }
    public decimal Used { get; private set; }
    public DateTime GrantedUtc { get; private set; }

    /// <summary>The last day (UTC) the credits can be used.</summary>
    public DateOnly ExpiresOn { get; private set; }

    public decimal Remaining => Amount - Used;

    public static CreditGrant Grant(string customerId, string description, decimal amount, DateTime grantedUtc, DateOnly expiresOn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        if (description.Length > MaxDescriptionLength)
        {
            throw new ArgumentException($"A grant's description has at most {MaxDescriptionLength} characters.", nameof(description));
        }
        if (expiresOn < DateOnly.FromDateTime(grantedUtc))
        {
            throw new ArgumentException("A grant cannot expire before it is granted.", nameof(expiresOn));
        }
        return new CreditGrant
        {
            Id = Guid.NewGuid(),
            CustomerId = customerId,
            Description = description,
            Amount = amount,
            GrantedUtc = grantedUtc,
            ExpiresOn = expiresOn,
        };
    }

    /// <summary>Records rendering that spent credits of this grant; an expired grant or more than remains is refused.</summary>
    public void Use(decimal credits, DateOnly today)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(credits);
        if (IsExpired(today))
        {
            throw new InvalidOperationException($"The grant expired on {ExpiresOn:yyyy-MM-dd}.");
        }
        if (credits > Remaining)
        {
            throw new InvalidOperationException($"Only {Remaining} credits remain of the grant.");
        }
        Used += credits;
    }

    /// <summary>Usable through its expiry day; expired from the next day on.</summary>
    public bool IsExpired(DateOnly today) => today > ExpiresOn;

    /// <summary>Expired wins: after its expiry day a grant is Expired whether or not anything was left to forfeit.</summary>
    public CreditStatus StatusOn(DateOnly today) =>
        IsExpired(today) ? CreditStatus.Expired : Remaining <= 0 ? CreditStatus.UsedUp : CreditStatus.Active;

    public CreditBalance BalanceOn(DateOnly today) =>
        new(Id, Description, GrantedUtc, ExpiresOn, Amount, Used, Remaining, StatusOn(today));
}
