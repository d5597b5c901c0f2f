
namespace ChaosModular.CloudCredits.Domain;

/// <summary>A grant of the pool as a debit sees it.</summary>
internal sealed record PoolGrant(Guid GrantId, decimal Remaining, DateOnly ExpiresOn, DateTime GrantedUtc);

/// <summary>Credits taken from one grant.</summary>
internal sealed record GrantTake(Guid GrantId, decimal Credits);

/// <summary>
/// The arithmetic of a debit. A pool's credits are its grants' remainders that have not expired; a user drawing on an
/// organization's pool is capped as well by what their allocation still allows (no cap when unlimited, or for a user's
/// own pool). Credits are taken from the grant that expires first (then the oldest), so the fewest are forfeited.
/// </summary>
internal static class DebitPlan
{
    /// <summary>Usable today, soonest expiry first.</summary>
    public static IEnumerable<PoolGrant> Usable(IEnumerable<PoolGrant> grants, DateOnly today) =>
        grants.Where(g => g.ExpiresOn >= today && g.Remaining > 0m)
            .OrderBy(g => g.ExpiresOn).ThenBy(g => g.GrantedUtc).ThenBy(g => g.GrantId);

    /// <summary>What the pool has today.</summary>
    public static decimal PoolAvailable(IEnumerable<PoolGrant> grants, DateOnly today) => Usable(grants, today).Sum(g => g.Remaining);

    /// <summary>What the user can spend: the pool, or less when <paramref name="cap"/> (the allocation's remainder) is smaller.</summary>
    public static decimal Available(IEnumerable<PoolGrant> grants, decimal? cap, DateOnly today)
    {
        var pool = PoolAvailable(grants, today);
        return cap is { } c ? Math.Min(Math.Max(0m, c), pool) : pool;
    }

    /// <summary>The takes that pay <paramref name="credits"/>, soonest expiry first; null when they do not fit.</summary>
    public static IReadOnlyList<GrantTake>? Plan(IEnumerable<PoolGrant> grants, decimal credits, decimal? cap, DateOnly today)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(credits);
        var usable = Usable(grants, today).ToList();
        if (credits > Available(usable, cap, today))
        {
            return null;
        }
        var takes = new List<GrantTake>();
        var need = credits;
        foreach (var grant in usable)
        {
            var take = Math.Min(need, grant.Remaining);
            takes.Add(new GrantTake(grant.GrantId, take));
            need -= take;
            if (need == 0m)
            {
                break;
            }
        }
        return takes;
    }
}
