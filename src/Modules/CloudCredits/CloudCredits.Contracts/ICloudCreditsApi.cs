namespace ChaosModular.CloudCredits.Contracts;

/// <summary>
/// A customer's Chaos Cloud credits, for other modules (Organizations will allocate them to members).
/// Credits are units of rendering time, not money: they have no currency.
/// </summary>
public interface ICloudCreditsApi
{
    /// <summary>Every grant the customer has, ordered by expiry (soonest first), with its status as of today (UTC).</summary>
    Task<IReadOnlyList<CreditBalance>> BalancesAsync(string customerId, CancellationToken cancellationToken);
}

public enum CreditStatus
{
    /// <summary>Not expired, credits left.</summary>
    Active,

    /// <summary>Past its expiry day; whatever remained is forfeited.</summary>
    Expired,

    /// <summary>Not expired, nothing left.</summary>
    UsedUp,
}

/// <summary>
/// One grant of credits. <see cref="Remaining"/> is what was not used (<see cref="Amount"/> − <see cref="Used"/>);
/// a grant can be used through its <see cref="ExpiresOn"/> day (UTC), after which what remains is forfeited.
/// </summary>
public sealed record CreditBalance(
    Guid GrantId,
    string Description,
    DateTime GrantedUtc,
    DateOnly ExpiresOn,
    decimal Amount,
    decimal Used,
    decimal Remaining,
    CreditStatus Status)
{
    /// <summary>What can still be spent: the remaining credits of an active grant, else nothing.</summary>
    public decimal Available => Status == CreditStatus.Active ? Remaining : 0m;

    /// <summary>What the customer lost when the grant expired unused.</summary>
    public decimal Forfeited => Status == CreditStatus.Expired ? Remaining : 0m;
}
