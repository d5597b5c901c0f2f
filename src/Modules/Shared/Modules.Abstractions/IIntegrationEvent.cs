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
