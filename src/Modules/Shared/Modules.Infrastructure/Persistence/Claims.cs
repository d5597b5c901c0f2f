using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Modules.Infrastructure.Persistence;

/// <summary>
/// The claim pattern, named once. Concurrency in this codebase is settled by claims, not locks: a step
/// changes rows only if they are still as it read them (a conditional <c>ExecuteUpdate</c>, or a version
/// token checked by <c>SaveChanges</c>). When another request got there first, the step is run again
/// from a clean slate and reads what the winner wrote.
/// </summary>
public static class Claims
{
    public const int DefaultAttempts = 10;

    /// <summary>
    /// True on PostgreSQL, where a batch claim is one <c>UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING id</c>:
    /// concurrent claimers take disjoint batches without waiting for each other. Elsewhere a batch is claimed with a
    /// conditional <c>ExecuteUpdate</c> on the ids just read (still only once per row; a claimer that loses a race reads again).
    /// </summary>
    public static bool ClaimsWithSkipLocked(this DbContext db) =>
        string.Equals(db.Database.ProviderName, "Npgsql.EntityFrameworkCore.PostgreSQL", StringComparison.Ordinal);

    /// <summary>
    /// Runs <paramref name="step"/> in its own transaction and commits what it saved, repeating the whole step
    /// (tracker cleared, transaction rolled back) when saving meets a concurrency conflict. The step reads,
    /// decides, changes and returns; it may call <c>SaveChanges</c> itself, and whatever it left unsaved is
    /// saved before the commit. After <paramref name="attempts"/> conflicts the last one is thrown.
    /// </summary>
    public static async Task<T> RetryOnConflictAsync<T>(this DbContext db, Func<CancellationToken, Task<T>> step,
        CancellationToken cancellationToken, int attempts = DefaultAttempts)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var result = await step(cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (DbUpdateConcurrencyException) when (attempt < attempts)
            {
                await transaction.RollbackAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// Inserts rows that a unique index makes "once only" (an email per source key, an order per id).
    /// True when this call inserted them; false when a concurrent call already had (its rows win, the tracker
    /// is cleared so the caller can read them).
    /// </summary>
    public static async Task<bool> TryInsertOnceAsync(this DbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
