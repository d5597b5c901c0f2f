
namespace ChaosModular.CloudCredits.Features;

/// <summary><c>GET /api/cloud-credits/v1/balance?account=</c>: what a user can spend now from their active pool.</summary>
internal sealed class AccountBalance(CreditUsers users, PoolBalances pools)
{
    /// <param name="Limit">The allocation's credits in all; null when unlimited.</param>
    /// <param name="Remaining">What the allocation still allows before the pool is considered; null when unlimited.</param>
    public sealed record AllocationBody(bool Unlimited, decimal? Limit, decimal Used, decimal? Remaining);

    /// <param name="Account">The user's id.</param>
    /// <param name="Pool"><c>personal</c> or <c>organization</c>.</param>
    /// <param name="Available">What a debit can take now.</param>
    /// <param name="PoolAvailable">What the pool's grants have, whatever the allocation allows.</param>
    /// <param name="Allocation">The user's allocation when the pool is the organization's (null when there is none).</param>
    /// <param name="NextExpiry">The day (UTC) the pool's soonest-expiring credits can last be used.</param>
    public sealed record BalanceResponse(string Account, string Pool, decimal Available, decimal PoolAvailable, AllocationBody? Allocation, DateOnly? NextExpiry);

    public async Task<CreditCallOutcome<BalanceResponse>> HandleAsync(string? account, CancellationToken cancellationToken)
    {
        var named = account?.Trim();
        if (string.IsNullOrEmpty(named) || named.Length > CreditDebit.MaxAccountLength)
        {
            return CreditCallOutcome<BalanceResponse>.Invalid(new Dictionary<string, string[]> { ["account"] = ["account is required: the user's id or email."] });
        }
        if (await users.FindAsync(DebitCredits.Normalize(named), cancellationToken) is not { } user)
        {
            return CreditCallOutcome<BalanceResponse>.Refuse(CreditRefusal.UnknownAccount, $"No account has the id or email '{named}'.");
        }
        var balance = await pools.BalanceAsync(user, cancellationToken);
        var allocation = balance.Allocation is { } a ? new AllocationBody(a.IsUnlimited, a.Limit, a.Used, a.Remaining) : null;
        return CreditCallOutcome<BalanceResponse>.Done(new BalanceResponse(user.UserId, PoolNames.Of(balance.Pool), balance.Available, balance.PoolAvailable, allocation, balance.NextExpiry));
    }
}
