using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosModular.Modules.Infrastructure.Outbox;

/// <summary>One subscription of a handler to an event type; the key names it in Hangfire jobs.</summary>
public sealed record IntegrationEventSubscription(Type EventType, Type HandlerType)
{
    public string Key => HandlerType.FullName!;

    internal Task InvokeAsync(IServiceProvider services, string payload, CancellationToken cancellationToken)
    {
        var integrationEvent = JsonSerializer.Deserialize(payload, EventType)
            ?? throw new InvalidOperationException($"Outbox payload of {EventType.Name} is empty.");
        var handler = services.GetRequiredService(HandlerType);
        var method = typeof(IIntegrationEventHandler<>).MakeGenericType(EventType).GetMethod("HandleAsync")!;
        return (Task)method.Invoke(handler, [integrationEvent, cancellationToken])!;
    }

    /// <summary>The handler takes many events at once (<see cref="IIntegrationEventBatchHandler{TEvent}"/>).</summary>
    public bool HandlesBatches => typeof(IIntegrationEventBatchHandler<>).MakeGenericType(EventType).IsAssignableFrom(HandlerType);

    /// <summary>Hands every payload to one call of the handler's <see cref="IIntegrationEventBatchHandler{TEvent}.HandleManyAsync"/>.</summary>
    internal Task InvokeManyAsync(IServiceProvider services, IReadOnlyList<string> payloads, CancellationToken cancellationToken)
    {
        var integrationEvents = Array.CreateInstance(EventType, payloads.Count);
        for (var i = 0; i < payloads.Count; i++)
        {
            integrationEvents.SetValue(JsonSerializer.Deserialize(payloads[i], EventType)
                ?? throw new InvalidOperationException($"Outbox payload of {EventType.Name} is empty."), i);
        }
        var handler = services.GetRequiredService(HandlerType);
        var method = typeof(IIntegrationEventBatchHandler<>).MakeGenericType(EventType).GetMethod("HandleManyAsync")!;
        return (Task)method.Invoke(handler, [integrationEvents, cancellationToken])!;
    }
}

public static class IntegrationEventServiceCollectionExtensions
{
    public static IServiceCollection AddIntegrationEventHandler<TEvent, THandler>(this IServiceCollection services)
        where TEvent : IIntegrationEvent
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        services.AddScoped<THandler>();
        services.AddSingleton(new IntegrationEventSubscription(typeof(TEvent), typeof(THandler)));
        return services;
    }
}
