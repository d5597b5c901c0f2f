
namespace ChaosModular.CloudCredits.Domain;

/// <summary>
/// Part of an organization's pool (the active grants of the account it was set up for) that a member or guest may
/// spend: a number of credits, or unlimited (up to what the pool has). It is a cap, not a reservation: every
/// allocation draws on the same grants, so a debit must fit both the allocation's remainder and the pool.
/// One row per user and organization; revoking or leaving ends it, allocating again starts it afresh.
/// </summary>
internal sealed class CreditAllocation
{
    private CreditAllocation() { }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }

    /// <summary>The account whose grants are the pool.</summary>
    public string PoolAccountId { get; private set; } = "";

    public string UserId { get; private set; } = "";

    /// <summary>The most the user may spend in all; null: unlimited (as much as the pool has).</summary>
    public decimal? Limit { get; private set; }

    /// <summary>Spent since it was (last) allocated.</summary>
    public decimal Used { get; private set; }

    public bool Active { get; private set; }
    public DateTime AllocatedUtc { get; private set; }
    public DateTime ChangedUtc { get; private set; }
    public DateTime? EndedUtc { get; private set; }

    public bool IsUnlimited => Limit is null;

    /// <summary>What the allocation still allows, before the pool is considered; null when unlimited.</summary>
    public decimal? Remaining => Limit is { } limit ? Math.Max(0m, limit - Used) : null;

    public static CreditAllocation Allocate(Guid organizationId, string poolAccountId, string userId, decimal? limit, DateTime utcNow)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(poolAccountId);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        CreditAmount.EnsureValid(limit);
        return new CreditAllocation
        {
            Id = Guid.NewGuid(),
            OrganizationId = organizationId,
            PoolAccountId = poolAccountId,
            UserId = userId,
            Limit = limit,
            Active = true,
            AllocatedUtc = utcNow,
            ChangedUtc = utcNow,
        };
    }

    /// <summary>
    /// Sets the limit of an active allocation (use so far is kept), or starts an ended one afresh (use back to 0).
    /// A limit below what was already used is refused (the allocation feature says so to the administrator first).
    /// </summary>
    public void SetLimit(decimal? limit, string poolAccountId, DateTime utcNow)
    {
        CreditAmount.EnsureValid(limit);
        if (!Active)
        {
            Active = true;
            Used = 0m;
            EndedUtc = null;
            AllocatedUtc = utcNow;
        }
        if (limit is { } l && l < Used)
        {
            throw new InvalidOperationException($"The allocation already used {Used} credits.");
        }
        PoolAccountId = poolAccountId;
        Limit = limit;
        ChangedUtc = utcNow;
    }

    public void End(DateTime utcNow)
    {
        if (!Active)
        {
            return;
        }
        Active = false;
        EndedUtc = utcNow;
        ChangedUtc = utcNow;
    }

    /// <summary>How the audit log and the pages name a limit.</summary>
    public static string Describe(decimal? limit) => limit is { } l ? CreditUnits.Format(l) : "unlimited";
}
