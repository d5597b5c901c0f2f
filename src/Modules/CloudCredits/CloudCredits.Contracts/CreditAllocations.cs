using ChaosModular.Modules.Abstractions;

namespace ChaosModular.CloudCredits.Contracts;

/// <summary>Where a user's rendering is paid from.</summary>
public enum CreditPool
{
    /// <summary>The user's own account's grants.</summary>
    Personal,

    /// <summary>The grants of the account their organization was set up for, up to what the organization allocated to them.</summary>
    Organization,
}

/// <summary>A user the administrator allocates to, named by the email the messages use.</summary>
public sealed record CreditRecipient(string UserId, string Email);

/// <summary>
/// What a user may spend of the organization's pool: <see cref="Limit"/> credits in all (null: unlimited, up to what the
/// pool has), of which <see cref="Used"/> are spent.
/// </summary>
public sealed record UserCreditAllocation(string UserId, decimal? Limit, decimal Used, DateTime AllocatedUtc)
{
    public bool IsUnlimited => Limit is null;

    /// <summary>What the allocation still allows before the pool is considered; null when unlimited.</summary>
    public decimal? Remaining => Limit is { } limit ? Math.Max(0m, limit - Used) : null;
}

/// <summary>
/// An organization's pool: the active grants of its account (<see cref="Available"/> to spend, <see cref="Used"/> of the
/// grants not expired, the soonest and the last expiry day) and a page of its users' allocations, most used first.
/// </summary>
public sealed record OrganizationCreditPool(
    decimal Available,
    decimal Used,
    DateOnly? NextExpiry,
    DateOnly? LastExpiry,
    decimal UsedByAllocations,
    PagedResult<UserCreditAllocation> Allocations);

/// <summary>A user's allocation at one moment: none, a number of credits, or unlimited (<see cref="Limit"/> null).</summary>
public sealed record AllocationState(bool Allocated, decimal? Limit)
{
    public static readonly AllocationState None = new(false, null);

    /// <summary>As the audit log and the messages write it: "none", "unlimited" or "1,250".</summary>
    public override string ToString() =>
        !Allocated ? "none" : Limit is { } limit ? limit.ToString("#,0.##", System.Globalization.CultureInfo.InvariantCulture) : "unlimited";
}

/// <summary>One user's allocation before and after an administrator's change.</summary>
public sealed record AllocationChange(string UserId, string Email, AllocationState Before, AllocationState After)
{
    public bool Changed => Before != After;
}

/// <summary>The allocation was made for every user (<see cref="Changes"/>), or for none with <see cref="Problem"/> saying why.</summary>
public sealed record AllocationResult(string? Problem, IReadOnlyList<AllocationChange> Changes)
{
    public bool Done => Problem is null;
}
