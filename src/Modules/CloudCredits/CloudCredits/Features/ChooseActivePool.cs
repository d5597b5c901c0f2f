
namespace ChaosModular.CloudCredits.Features;

/// <summary>
/// A guest chooses the one pool their rendering is paid from: their own credits, or the organization's allocation
/// (only while they have one). Members and everyone else have no choice to make.
/// </summary>
internal sealed class ChooseActivePool(CloudCreditsDbContext db, CreditUsers users, PoolBalances pools, TimeProvider clock)
{
    public enum Outcome
    {
        Chosen,

        /// <summary>The user is not a guest of an organization.</summary>
        NotAGuest,

        /// <summary>The organization allocated nothing to the guest.</summary>
        NoAllocation,
    }

    public async Task<Outcome> HandleAsync(string userId, CreditPool pool, CancellationToken cancellationToken)
    {
        var user = await users.OfAsync(userId, null, cancellationToken);
        if (!ActivePool.CanChoose(user.Role))
        {
            return Outcome.NotAGuest;
        }
        if (pool == CreditPool.Organization && await pools.AllocationAsync(user.OrganizationId!.Value, userId, cancellationToken) is null)
        {
            return Outcome.NoAllocation;
        }
        var now = clock.UtcNow();
        var choice = await db.PoolChoices.SingleOrDefaultAsync(c => c.UserId == userId, cancellationToken);
        if (choice is null)
        {
            db.PoolChoices.Add(PoolChoice.Choose(userId, pool, now));
            if (!await db.TryInsertOnceAsync(cancellationToken))
            {
                // Chosen in another tab at the same moment: this later choice wins.
                choice = await db.PoolChoices.SingleAsync(c => c.UserId == userId, cancellationToken);
                choice.Change(pool, now);
                await db.SaveChangesAsync(cancellationToken);
            }
            return Outcome.Chosen;
        }
        choice.Change(pool, now);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Chosen;
    }
}
