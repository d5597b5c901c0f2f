using System.ComponentModel;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Modules.Infrastructure.Outbox;

/// <summary>
/// Hangfire jobs that move outbox rows to their handlers: one job per handler, ids in, safe to repeat.
/// </summary>
public sealed class OutboxJobs(
    IServiceProvider services,
    IEnumerable<IntegrationEventSubscription> subscriptions,
    IEnumerable<OutboxModule> modules,
    IBackgroundJobClient jobs,
    TimeProvider clock,
    ILogger<OutboxJobs> logger)
{
    public const string SweepJobId = "outbox-sweep";

    [DisplayName("Dispatch {0} event {1}")]
    public async Task DispatchAsync(string module, Guid messageId, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredKeyedService<IOutboxStore>(module);
        var message = await store.FindAsync(messageId, cancellationToken);
        if (message is null || message.CompletedUtc is not null)
        {
            return;
        }
        var handled = await store.HandledByAsync(messageId, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var pending = subscriptions.Where(s => s.EventType.FullName == message.Type && !handled.Contains(s.Key)).ToList();
        foreach (var subscription in pending)
        {
            jobs.Enqueue<OutboxJobs>(j => j.HandleAsync(module, messageId, subscription.Key, CancellationToken.None));
        }
        message.MarkDispatched(now);
        if (pending.Count == 0)
        {
            message.MarkCompleted(now);
        }
        await store.SaveAsync(cancellationToken);
    }

    /// <summary>Most messages one <see cref="DispatchManyAsync"/> job (and each of its handler jobs) carries.</summary>
    public const int DispatchChunk = 200;

    /// <summary>
    /// <see cref="DispatchAsync"/> for the messages of one commit: read together, and one job per handler for all the
    /// messages it still has to handle (<see cref="HandleManyAsync"/>) instead of one per message and handler.
    /// </summary>
    [DisplayName("Dispatch {0} events")]
    public async Task DispatchManyAsync(string module, Guid[] messageIds, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredKeyedService<IOutboxStore>(module);
        var messages = (await store.FindManyAsync(messageIds, cancellationToken)).Where(m => m.CompletedUtc is null).ToList();
        if (messages.Count == 0)
        {
            return;
        }
        var handled = await store.HandledByManyAsync(messages.Select(m => m.Id).ToList(), cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var byHandler = new Dictionary<string, List<Guid>>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            var done = handled.GetValueOrDefault(message.Id);
            var pending = subscriptions.Where(s => s.EventType.FullName == message.Type && (done is null || !done.Contains(s.Key))).ToList();
            foreach (var subscription in pending)
            {
                if (!byHandler.TryGetValue(subscription.Key, out var ids))
                {
                    byHandler[subscription.Key] = ids = [];
                }
                ids.Add(message.Id);
            }
            message.MarkDispatched(now);
            if (pending.Count == 0)
            {
                message.MarkCompleted(now);
            }
        }
        foreach (var (handlerKey, ids) in byHandler)
        {
            var handlerIds = ids.ToArray();
            jobs.Enqueue<OutboxJobs>(j => j.HandleManyAsync(module, handlerIds, handlerKey, CancellationToken.None));
        }
        await store.SaveAsync(cancellationToken);
    }

    /// <summary>
    /// <see cref="HandleAsync"/> for many messages, each in its own scope as its own job would be. One that fails is logged
    /// and handed to a job of its own (retried by Hangfire as before); the others go on.
    /// </summary>
    [DisplayName("Handle {0} events with {2}")]
    public async Task HandleManyAsync(string module, Guid[] messageIds, string handlerKey, CancellationToken cancellationToken)
    {
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        foreach (var messageId in messageIds)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await ActivatorUtilities.CreateInstance<OutboxJobs>(scope.ServiceProvider).HandleAsync(module, messageId, handlerKey, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Handler {Handler} failed for outbox message {MessageId} of {Module}; it is retried as a job of its own.", handlerKey, messageId, module);
                jobs.Enqueue<OutboxJobs>(j => j.HandleAsync(module, messageId, handlerKey, CancellationToken.None));
            }
        }
    }

    /// <summary>Runs one handler once: a handler already recorded as done for this message is skipped.</summary>
    [DisplayName("Handle {0} event {1} with {2}")]
    public async Task HandleAsync(string module, Guid messageId, string handlerKey, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredKeyedService<IOutboxStore>(module);
        var message = await store.FindAsync(messageId, cancellationToken)
            ?? throw new InvalidOperationException($"Outbox message {messageId} of {module} does not exist.");
        var subscription = subscriptions.SingleOrDefault(s => s.Key == handlerKey && s.EventType.FullName == message.Type)
            ?? throw new InvalidOperationException($"No handler {handlerKey} for {message.Type}.");
        if ((await store.HandledByAsync(messageId, cancellationToken)).Contains(handlerKey))
        {
            return;
        }
        await subscription.InvokeAsync(services, message.Payload, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        await store.MarkHandledAsync(messageId, handlerKey, now, cancellationToken);
        var handled = await store.HandledByAsync(messageId, cancellationToken);
        if (subscriptions.Where(s => s.EventType.FullName == message.Type).All(s => handled.Contains(s.Key)))
        {
            message.MarkCompleted(now);
            await store.SaveAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Recovers lost work: dispatches rows whose enqueue was lost (a crash), and re-enqueues handlers of
    /// rows dispatched over an hour ago that are still not done (a queue that lived in memory, a job that
    /// exhausted its retries). Handlers already done are skipped, so this never repeats finished work.
    /// </summary>
    [DisplayName("Sweep outboxes")]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var module in modules.Select(m => m.Name).Distinct())
        {
            var store = services.GetRequiredKeyedService<IOutboxStore>(module);
            var lost = (await store.UndispatchedAsync(now.AddSeconds(-30), 500, cancellationToken))
                .Concat(await store.UnfinishedAsync(now.AddHours(-1), 500, cancellationToken));
            foreach (var id in lost)
            {
                logger.LogInformation("Sweeping outbox message {MessageId} of {Module}.", id, module);
                await DispatchAsync(module, id, cancellationToken);
            }
        }
    }
}
