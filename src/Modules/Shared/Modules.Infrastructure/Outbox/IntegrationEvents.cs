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
