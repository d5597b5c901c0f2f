
namespace ChaosModular.CloudCredits.Features;

/// <summary>A customer's grants as of today (UTC), soonest expiry first, with the totals the page shows.</summary>
internal sealed class CustomerCredits(CloudCreditsDbContext db, TimeProvider clock)
{
    public sealed record Result(IReadOnlyList<CreditBalance> Grants)
    {
        /// <summary>What can still be spent: active grants only, expired remainders are forfeited.</summary>
        public decimal Remaining => Grants.Sum(g => g.Available);

        /// <summary>Used credits of the grants that have not expired (active and used up).</summary>
        public decimal Used => Grants.Where(g => g.Status != CreditStatus.Expired).Sum(g => g.Used);

        /// <summary>The active grant that expires first, whose credits are best used first.</summary>
        public CreditBalance? NextToExpire => Grants.FirstOrDefault(g => g.Status == CreditStatus.Active);
    }

    public async Task<Result> HandleAsync(string customerId, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var grants = await db.Grants.AsNoTracking()
            .Where(g => g.CustomerId == customerId)
            .OrderBy(g => g.ExpiresOn).ThenBy(g => g.GrantedUtc).ThenBy(g => g.Id)
            .ToListAsync(cancellationToken);
        return new Result(grants.Select(g => g.BalanceOn(today)).ToList());
    }
}
