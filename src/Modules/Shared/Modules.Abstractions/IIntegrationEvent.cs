namespace ChaosModular.Modules.Abstractions;

/// <summary>A fact one module tells the others, carried through the publisher's outbox.</summary>
public interface IIntegrationEvent
{
    Guid EventId { get; }
    DateTime OccurredUtc { get; }
}

/// <summary>Handles one integration event type. Runs as its own Hangfire job and may run more than once: be idempotent.</summary>
public interface IIntegrationEventHandler<in TEvent> where TEvent : IIntegrationEvent
{
    Task HandleAsync(TEvent integrationEvent, CancellationToken cancellationToken);
}

/// <summary>
/// A handler that can also take many events of its type at once (the messages of one commit, such as a renewal run's
/// receipts) in one unit of work instead of one per event. It must do for each event what <see cref="IIntegrationEventHandler{TEvent}.HandleAsync"/>
/// would; when it throws, each event is handled on its own. It may run more than once: be idempotent.
/// </summary>
public interface IIntegrationEventBatchHandler<in TEvent> : IIntegrationEventHandler<TEvent> where TEvent : IIntegrationEvent
{
    Task HandleManyAsync(IReadOnlyList<TEvent> integrationEvents, CancellationToken cancellationToken);
}
