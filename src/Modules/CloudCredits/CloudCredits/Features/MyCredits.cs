
namespace ChaosModular.CloudCredits.Features;

/// <summary>
/// Products › Cloud Credits for the signed-in user. A member sees exactly their organization allocation (amount or
/// unlimited, used, left, when the pool's credits expire) and not their own grants; a guest sees their own grants, the
/// organization's allocation and which pool is active; everyone else sees their own grants.
/// </summary>
internal sealed class MyCredits(CustomerCredits credits, CreditUsers users, PoolBalances pools)
{
    /// <param name="Left">What the user can still spend of it: the allocation's remainder, at most what the pool has.</param>
    public sealed record AllocationView(string OrganizationName, decimal? Limit, decimal Used, decimal Left, decimal PoolAvailable, DateOnly? PoolNextExpiry, DateOnly? PoolLastExpiry)
    {
        public bool IsUnlimited => Limit is null;
    }

    /// <param name="Personal">The user's own grants; null for a member (they use only what is allocated).</param>
    /// <param name="Allocation">The organization's allocation to the user; null when there is none or the user is no member or guest.</param>
    public sealed record Result(PoolRole Role, string? OrganizationName, CreditPool ActivePool, CustomerCredits.Result? Personal, AllocationView? Allocation)
    {
        public bool ChoosesPool => Domain.ActivePool.CanChoose(Role);
    }

    public async Task<Result> HandleAsync(string userId, CancellationToken cancellationToken)
    {
        var user = await users.OfAsync(userId, null, cancellationToken);
        var personal = user.Role == PoolRole.Member ? null : await credits.HandleAsync(userId, cancellationToken);
        AllocationView? allocation = null;
        if (user.Role is PoolRole.Member or PoolRole.Guest)
        {
            var asOrganization = user with { Role = PoolRole.Member };
            var balance = await pools.BalanceAsync(asOrganization, cancellationToken);
            if (balance.Allocation is { } a)
            {
                allocation = new AllocationView(user.OrganizationName!, a.Limit, a.Used, balance.Available, balance.PoolAvailable, balance.NextExpiry, balance.LastExpiry);
            }
        }
        return new Result(user.Role, user.OrganizationName, user.ActivePool, personal, allocation);
    }
}
