
namespace ChaosModular.CloudCredits.Features;

/// <summary>What a user can spend from their active pool now, and the pool behind it.</summary>
/// <param name="Allocation">The user's allocation when the pool is the organization's; null when they have none there (then nothing is available).</param>
internal sealed record PoolBalance(CreditPool Pool, decimal Available, decimal PoolAvailable, UserCreditAllocation? Allocation, DateOnly? NextExpiry, DateOnly? LastExpiry);

/// <summary>Reads pools: an account's grants usable today and a user's allocation in an organization.</summary>
internal sealed class PoolBalances(CloudCreditsDbContext db, TimeProvider clock)
{
    /// <summary>The account's grants not expired today with credits left (as read now, in the caller's transaction if any).</summary>
    public async Task<List<PoolGrant>> GrantsAsync(string accountId, CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var rows = await db.Grants.AsNoTracking()
            .Where(g => g.CustomerId == accountId && g.ExpiresOn >= today)
            .Select(g => new { g.Id, g.Amount, g.Used, g.ExpiresOn, g.GrantedUtc })
            .ToListAsync(cancellationToken);
        return [.. DebitPlan.Usable(rows.Select(g => new PoolGrant(g.Id, g.Amount - g.Used, g.ExpiresOn, g.GrantedUtc)), today)];
    }

    public Task<CreditAllocation?> AllocationAsync(Guid organizationId, string userId, CancellationToken cancellationToken) =>
        db.Allocations.AsNoTracking().SingleOrDefaultAsync(a => a.OrganizationId == organizationId && a.UserId == userId && a.Active, cancellationToken);

    public async Task<PoolBalance> BalanceAsync(CreditUser user, CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var grants = await GrantsAsync(user.PoolAccountId, cancellationToken);
        var pool = DebitPlan.PoolAvailable(grants, today);
        var next = grants.Count == 0 ? (DateOnly?)null : grants.Min(g => g.ExpiresOn);
        var last = grants.Count == 0 ? (DateOnly?)null : grants.Max(g => g.ExpiresOn);
        if (user.ActivePool == CreditPool.Personal)
        {
            return new PoolBalance(CreditPool.Personal, pool, pool, null, next, last);
        }
        var allocation = await AllocationAsync(user.OrganizationId!.Value, user.UserId, cancellationToken);
        if (allocation is null)
        {
            return new PoolBalance(CreditPool.Organization, 0m, pool, null, next, last);
        }
        return new PoolBalance(CreditPool.Organization, DebitPlan.Available(grants, allocation.Remaining, today), pool, Summary(allocation), next, last);
    }

    public static UserCreditAllocation Summary(CreditAllocation a) => new(a.UserId, a.Limit, a.Used, a.AllocatedUtc);
}
