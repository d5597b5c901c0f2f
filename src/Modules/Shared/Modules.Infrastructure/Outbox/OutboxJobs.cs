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
    /// <see cref="HandleAsync"/> for many messages: the outbox's books kept once for the batch (which messages exist and which
    /// this handler already did, read together; the handled ones recorded together; those whose every handler is now done
    /// marked complete together), and the handler run for each message in its own scope, as its own job would be, or once for
    /// them all when it takes batches (<see cref="IIntegrationEventBatchHandler{TEvent}"/>; a failed batch is handled message by
    /// message). One that fails is logged and handed to a job of its own (retried by Hangfire as before); the others go on. A crash before the
    /// record runs this batch's handlers again on the retry: handlers are idempotent, as the sweep already requires.
    /// </summary>
    [DisplayName("Handle {0} events with {2}")]
    public async Task HandleManyAsync(string module, Guid[] messageIds, string handlerKey, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredKeyedService<IOutboxStore>(module);
        var messages = (await store.FindManyAsync(messageIds, cancellationToken)).ToDictionary(m => m.Id);
        var handledBefore = await store.HandledByManyAsync(messageIds, cancellationToken);
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        var pending = messageIds.Distinct().Where(id => handledBefore.GetValueOrDefault(id)?.Contains(handlerKey) != true).ToList();
        var done = await HandleAsBatchAsync(module, pending, messages, handlerKey, cancellationToken);
        if (done is null)
        {
            done = new List<Guid>(pending.Count);
            foreach (var messageId in pending)
            {
                try
                {
                    var message = messages.GetValueOrDefault(messageId)
                        ?? throw new InvalidOperationException($"Outbox message {messageId} of {module} does not exist.");
                    var subscription = Subscription(handlerKey, message);
                    await using var scope = scopes.CreateAsyncScope();
                    await subscription.InvokeAsync(scope.ServiceProvider, message.Payload, cancellationToken);
                    done.Add(messageId);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Handler {Handler} failed for outbox message {MessageId} of {Module}; it is retried as a job of its own.", handlerKey, messageId, module);
                    jobs.Enqueue<OutboxJobs>(j => j.HandleAsync(module, messageId, handlerKey, CancellationToken.None));
                }
            }
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var handled = handledBefore;
        if (done.Count > 0)
        {
            await store.MarkHandledManyAsync(done, handlerKey, now, cancellationToken);
            handled = await store.HandledByManyAsync(messages.Keys, cancellationToken);
        }
        // Complete the messages every handler is now done with, including those this job found already handled (a redelivery).
        foreach (var message in messages.Values.Where(m => m.CompletedUtc is null && IsComplete(m, handled.GetValueOrDefault(m.Id))))
        {
            message.MarkCompleted(now);
        }
        await store.SaveAsync(cancellationToken);
    }

    /// <summary>
    /// Hands every pending message to one call of the handler when it takes batches (<see cref="IIntegrationEventBatchHandler{TEvent}"/>)
    /// and they are all of one event type; null when it does not, or when the batch failed (logged), so each is handled on its own.
    /// </summary>
    private async Task<List<Guid>?> HandleAsBatchAsync(string module, List<Guid> pending, Dictionary<Guid, OutboxMessage> messages, string handlerKey,
        CancellationToken cancellationToken)
    {
        if (pending.Count < 2 || !pending.All(messages.ContainsKey) || pending.Select(id => messages[id].Type).Distinct(StringComparer.Ordinal).Count() != 1)
        {
            return null;
        }
        var type = messages[pending[0]].Type;
        if (subscriptions.SingleOrDefault(s => s.Key == handlerKey && s.EventType.FullName == type) is not { HandlesBatches: true } subscription)
        {
            return null;
        }
        try
        {
            await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            await subscription.InvokeManyAsync(scope.ServiceProvider, pending.Select(id => messages[id].Payload).ToList(), cancellationToken);
            return pending;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Handler {Handler} failed for a batch of {Count} outbox messages of {Module}; each is handled on its own.", handlerKey, pending.Count, module);
            return null;
        }
    }

    /// <summary>Runs one handler once: a handler already recorded as done for this message is skipped.</summary>
    [DisplayName("Handle {0} event {1} with {2}")]
    public async Task HandleAsync(string module, Guid messageId, string handlerKey, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredKeyedService<IOutboxStore>(module);
        var message = await store.FindAsync(messageId, cancellationToken)
            ?? throw new InvalidOperationException($"Outbox message {messageId} of {module} does not exist.");
        var subscription = Subscription(handlerKey, message);
        if ((await store.HandledByAsync(messageId, cancellationToken)).Contains(handlerKey))
        {
            return;
        }
        await subscription.InvokeAsync(services, message.Payload, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        await store.MarkHandledAsync(messageId, handlerKey, now, cancellationToken);
        if (IsComplete(message, await store.HandledByAsync(messageId, cancellationToken)))
        {
            message.MarkCompleted(now);
            await store.SaveAsync(cancellationToken);
        }
    }

    private IntegrationEventSubscription Subscription(string handlerKey, OutboxMessage message) =>
        subscriptions.SingleOrDefault(s => s.Key == handlerKey && s.EventType.FullName == message.Type)
            ?? throw new InvalidOperationException($"No handler {handlerKey} for {message.Type}.");

    /// <summary>Every handler of the message's event type is recorded as done.</summary>
    private bool IsComplete(OutboxMessage message, IReadOnlySet<string>? handled) =>
        handled is not null && subscriptions.Where(s => s.EventType.FullName == message.Type).All(s => handled.Contains(s.Key));

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
