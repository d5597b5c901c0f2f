using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Modules.Abstractions.Outbox;

/// <summary>One module's outbox, found by module name (a keyed service).</summary>
public interface IOutboxStore
{
    Task<OutboxMessage?> FindAsync(Guid id, CancellationToken cancellationToken);
    Task<IReadOnlyList<Guid>> UndispatchedAsync(DateTime occurredBeforeUtc, int max, CancellationToken cancellationToken);
    Task SaveAsync(CancellationToken cancellationToken);
}

internal sealed class OutboxStore<TContext>(TContext context) : IOutboxStore where TContext : DbContext, IOutboxContext
{
    public Task<OutboxMessage?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        context.OutboxMessages.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);

    public async Task<IReadOnlyList<Guid>> UndispatchedAsync(DateTime occurredBeforeUtc, int max, CancellationToken cancellationToken) =>
        await context.OutboxMessages
            .Where(m => m.DispatchedUtc == null && m.OccurredUtc < occurredBeforeUtc)
            .OrderBy(m => m.OccurredUtc)
            .Select(m => m.Id)
            .Take(max)
            .ToListAsync(cancellationToken);

    public Task SaveAsync(CancellationToken cancellationToken) => context.SaveChangesAsync(cancellationToken);
}

/// <summary>Names a module that has an outbox, so the sweep can visit every one.</summary>
public sealed record OutboxModule(string Name);
