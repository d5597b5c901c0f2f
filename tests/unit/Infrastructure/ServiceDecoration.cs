namespace ChaosModular.UnitTests.Infrastructure;

/// <summary>Wraps a service the host registered in a test's decorator (in <see cref="PortalFactory.TestServices"/>), keeping its lifetime.</summary>
public static class ServiceDecoration
{
    /// <summary>Replaces the last registration of <typeparamref name="TService"/> with <paramref name="decorate"/> over the service it would have made.</summary>
    public static IServiceCollection Decorate<TService>(this IServiceCollection services, Func<TService, IServiceProvider, TService> decorate)
        where TService : class
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(TService) && !d.IsKeyedService)
            ?? throw new InvalidOperationException($"No {typeof(TService).Name} is registered to decorate.");
        services.Remove(original);
        services.Add(ServiceDescriptor.Describe(typeof(TService), sp => decorate((TService)Make(original, sp), sp), original.Lifetime));
        return services;
    }

    private static object Make(ServiceDescriptor original, IServiceProvider services) =>
        original.ImplementationInstance
        ?? original.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, original.ImplementationType!);
}
