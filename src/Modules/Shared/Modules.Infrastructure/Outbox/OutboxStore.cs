using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Modules.Infrastructure.Outbox;

/// <summary>One module's outbox, found by module name (a keyed service).</summary>
public interface IOutboxStore
{
    Task<OutboxMessage?> FindAsync(Guid id, CancellationToken cancellationToken);
    Task<IReadOnlyList<OutboxMessage>> FindManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);
    Task<IReadOnlyList<Guid>> UndispatchedAsync(DateTime occurredBeforeUtc, int max, CancellationToken cancellationToken);

    /// <summary>When the oldest message still waiting for dispatch occurred; null when none waits.</summary>
    Task<DateTime?> OldestUndispatchedUtcAsync(CancellationToken cancellationToken);

    /// <summary>Dispatched before the given time but with handlers still not done (their jobs lost or failing).</summary>
    Task<IReadOnlyList<Guid>> UnfinishedAsync(DateTime dispatchedBeforeUtc, int max, CancellationToken cancellationToken);

    Task<IReadOnlySet<string>> HandledByAsync(Guid messageId, CancellationToken cancellationToken);

    /// <summary>The handlers done for each of the messages that has any.</summary>
    Task<IReadOnlyDictionary<Guid, IReadOnlySet<string>>> HandledByManyAsync(IReadOnlyCollection<Guid> messageIds, CancellationToken cancellationToken);

    /// <summary>Records that a handler finished; false if it already had (a concurrent duplicate).</summary>
    Task<bool> MarkHandledAsync(Guid messageId, string handlerKey, DateTime utcNow, CancellationToken cancellationToken);

    /// <summary>
    /// Records that a handler finished for each of the messages, in one save; where a concurrent duplicate recorded some of
    /// them first, each is recorded on its own. Returns the messages this call recorded.
    /// </summary>
    Task<IReadOnlyList<Guid>> MarkHandledManyAsync(IReadOnlyCollection<Guid> messageIds, string handlerKey, DateTime utcNow, CancellationToken cancellationToken);

    Task SaveAsync(CancellationToken cancellationToken);
}

internal sealed class OutboxStore<TContext>(TContext context) : IOutboxStore where TContext : DbContext, IOutboxContext
{
    public Task<OutboxMessage?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        context.OutboxMessages.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);

    public async Task<IReadOnlyList<OutboxMessage>> FindManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        await context.OutboxMessages.Where(m => ids.Contains(m.Id)).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Guid>> UndispatchedAsync(DateTime occurredBeforeUtc, int max, CancellationToken cancellationToken) =>
        await context.OutboxMessages
            .Where(m => m.DispatchedUtc == null && m.OccurredUtc < occurredBeforeUtc)
            .OrderBy(m => m.OccurredUtc)
            .Select(m => m.Id)
            .Take(max)
            .ToListAsync(cancellationToken);

    public Task<DateTime?> OldestUndispatchedUtcAsync(CancellationToken cancellationToken) =>
        context.OutboxMessages
            .Where(m => m.DispatchedUtc == null)
            .MinAsync(m => (DateTime?)m.OccurredUtc, cancellationToken);

    public async Task<IReadOnlyList<Guid>> UnfinishedAsync(DateTime dispatchedBeforeUtc, int max, CancellationToken cancellationToken) =>
        await context.OutboxMessages
            .Where(m => m.CompletedUtc == null && m.DispatchedUtc != null && m.DispatchedUtc < dispatchedBeforeUtc)
            .OrderBy(m => m.OccurredUtc)
            .Select(m => m.Id)
            .Take(max)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlySet<string>> HandledByAsync(Guid messageId, CancellationToken cancellationToken) =>
        (await context.Set<OutboxHandled>().Where(h => h.MessageId == messageId).Select(h => h.HandlerKey).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);

    public async Task<IReadOnlyDictionary<Guid, IReadOnlySet<string>>> HandledByManyAsync(IReadOnlyCollection<Guid> messageIds, CancellationToken cancellationToken) =>
        (await context.Set<OutboxHandled>().Where(h => messageIds.Contains(h.MessageId)).Select(h => new { h.MessageId, h.HandlerKey }).ToListAsync(cancellationToken))
            .GroupBy(h => h.MessageId)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(h => h.HandlerKey).ToHashSet(StringComparer.Ordinal));

    public async Task<bool> MarkHandledAsync(Guid messageId, string handlerKey, DateTime utcNow, CancellationToken cancellationToken)
    {
        var row = context.Set<OutboxHandled>().Add(new OutboxHandled(messageId, handlerKey, utcNow));
        try
        {
            await context.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Not Claims.TryInsertOnceAsync: the handler's own tracked changes in this context must survive.
            row.State = EntityState.Detached;
            return false;
        }
    }

    public async Task<IReadOnlyList<Guid>> MarkHandledManyAsync(IReadOnlyCollection<Guid> messageIds, string handlerKey, DateTime utcNow, CancellationToken cancellationToken)
    {
        var rows = messageIds.Select(id => context.Set<OutboxHandled>().Add(new OutboxHandled(id, handlerKey, utcNow))).ToList();
        try
        {
            await context.SaveChangesAsync(cancellationToken);
            return [.. messageIds];
        }
        catch (DbUpdateException)
        {
            // The save was one transaction, so none of the rows is kept: record each on its own, skipping the duplicates.
            foreach (var row in rows)
            {
                row.State = EntityState.Detached;
            }
            var recorded = new List<Guid>(messageIds.Count);
            foreach (var messageId in messageIds)
            {
                if (await MarkHandledAsync(messageId, handlerKey, utcNow, cancellationToken))
                {
                    recorded.Add(messageId);
                }
            }
            return recorded;
        }
    }

    public Task SaveAsync(CancellationToken cancellationToken) => context.SaveChangesAsync(cancellationToken);
}

/// <summary>Names a module that has an outbox, so the sweep can visit every one.</summary>
public sealed record OutboxModule(string Name);
