using ChaosModular.Modules.Abstractions;

namespace ChaosModular.CloudCredits.Contracts;

/// <summary>
/// A customer's Chaos Cloud credits, for other modules; Organizations allocates an account's credits to its users here.
/// Credits are units of rendering time, not money: they have no currency.
/// </summary>
public interface ICloudCreditsApi
{
    /// <summary>Every grant the customer has, ordered by expiry (soonest first), with its status as of today (UTC).</summary>
    Task<IReadOnlyList<CreditBalance>> BalancesAsync(string customerId, CancellationToken cancellationToken);

    /// <summary>The organization's pool (the active grants of <paramref name="poolAccountId"/>) and a page of its active allocations, most used first.</summary>
    Task<OrganizationCreditPool> PoolAsync(Guid organizationId, string poolAccountId, int page, int pageSize, CancellationToken cancellationToken);

    /// <summary>The active allocations of these users in the organization (users without one are left out).</summary>
    Task<IReadOnlyList<UserCreditAllocation>> AllocationsAsync(Guid organizationId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);

    /// <summary>
    /// Gives each recipient an allocation of <paramref name="limit"/> credits (null: unlimited up to the pool), or changes
    /// theirs. All or nothing: a limit that is not an amount, below what a user already used, or leaving a user more than
    /// the pool has, changes nobody and says why.
    /// </summary>
    Task<AllocationResult> AllocateAsync(Guid organizationId, string poolAccountId, IReadOnlyList<CreditRecipient> recipients, decimal? limit, CancellationToken cancellationToken);

    /// <summary>Ends these users' allocations (their unused credits stay in the pool); returns those that had one.</summary>
    Task<IReadOnlyList<AllocationChange>> RevokeAsync(Guid organizationId, IReadOnlyList<CreditRecipient> recipients, CancellationToken cancellationToken);
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
