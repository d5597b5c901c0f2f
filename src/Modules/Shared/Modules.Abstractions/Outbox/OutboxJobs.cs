using System.ComponentModel;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Modules.Abstractions.Outbox;

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
        if (message is null || message.DispatchedUtc is not null)
        {
            return;
        }
        foreach (var subscription in subscriptions.Where(s => s.EventType.FullName == message.Type))
        {
            jobs.Enqueue<OutboxJobs>(j => j.HandleAsync(module, messageId, subscription.Key, CancellationToken.None));
        }
        message.MarkDispatched(clock.GetUtcNow().UtcDateTime);
        await store.SaveAsync(cancellationToken);
    }

    [DisplayName("Handle {0} event {1} with {2}")]
    public async Task HandleAsync(string module, Guid messageId, string handlerKey, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredKeyedService<IOutboxStore>(module);
        var message = await store.FindAsync(messageId, cancellationToken)
            ?? throw new InvalidOperationException($"Outbox message {messageId} of {module} does not exist.");
        var subscription = subscriptions.SingleOrDefault(s => s.Key == handlerKey && s.EventType.FullName == message.Type)
            ?? throw new InvalidOperationException($"No handler {handlerKey} for {message.Type}.");
        await subscription.InvokeAsync(services, message.Payload, cancellationToken);
    }

    /// <summary>Dispatches rows whose enqueue was lost (a crash, a queue that lived in memory).</summary>
    [DisplayName("Sweep outboxes")]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime.AddSeconds(-30);
        foreach (var module in modules.Select(m => m.Name).Distinct())
        {
            var store = services.GetRequiredKeyedService<IOutboxStore>(module);
            foreach (var id in await store.UndispatchedAsync(cutoff, 500, cancellationToken))
            {
                logger.LogInformation("Sweeping undispatched outbox message {MessageId} of {Module}.", id, module);
                await DispatchAsync(module, id, cancellationToken);
            }
        }
    }
}
