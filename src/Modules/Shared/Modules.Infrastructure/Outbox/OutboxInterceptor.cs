using System.Data.Common;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Modules.Infrastructure.Outbox;

/// <summary>
/// Enqueues a dispatch job for each outbox row once it is committed, so events flow at once.
/// If the enqueue fails the row stays undispatched and the outbox sweep picks it up: nothing is lost.
/// One instance serves every context (a singleton, so module contexts can be pooled): the rows saved and not yet
/// committed are kept on the context being saved (<see cref="OutboxPending"/>), which EF resets when the context
/// returns to the pool.
/// </summary>
internal sealed class OutboxInterceptor(IBackgroundJobClient jobs, ILogger<OutboxInterceptor> logger)
    : ISaveChangesInterceptor, IDbTransactionInterceptor
{

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            Flush(eventData.Context);
        }
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            Flush(eventData.Context);
        }
        return result;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Discard(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Discard(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        // Without detecting changes first: an outbox row is only ever added by Publish (DbSet.Add, so the tracker already
        // knows it is Added), and SaveChanges detects the other entities' changes itself. Entries<T>() would otherwise
        // scan every tracked entity once more per save (a renewal batch's save tracks hundreds).
        var tracker = context.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        List<Guid> added;
        try
        {
            added = tracker.Entries<OutboxMessage>()
                .Where(e => e.State == EntityState.Added)
                .Select(e => e.Entity.Id)
                .ToList();
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
        if (added.Count == 0)
        {
            return;
        }
        OutboxPending.Of(context).Add(added);
    }

    private static void Discard(DbContext? context)
    {
        if (context is not null)
        {
            OutboxPending.Of(context).Clear();
        }
    }

    private void Flush(DbContext? context)
    {
        if (context is null || OutboxPending.Of(context).Take() is not { Count: > 0 } ids)
        {
            return;
        }
        var module = context.Model.GetDefaultSchema()!;
        // One dispatch job per commit (in chunks), not one per row: a batch that commits hundreds of events (the renewal
        // drain's) would otherwise spend most of its time creating Hangfire jobs, several statements each.
        foreach (var chunk in ids.Distinct().Chunk(OutboxJobs.DispatchChunk))
        {
            try
            {
                if (chunk.Length == 1)
                {
                    var id = chunk[0];
                    jobs.Enqueue<OutboxJobs>(j => j.DispatchAsync(module, id, CancellationToken.None));
                }
                else
                {
                    jobs.Enqueue<OutboxJobs>(j => j.DispatchManyAsync(module, chunk, CancellationToken.None));
                }
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not enqueue dispatch of {Count} outbox messages of {Module} (first {MessageId}); the sweep will retry.", chunk.Length, module, chunk[0]);
            }
        }
    }
}
