using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosModular.Modules.Infrastructure.Outbox;

/// <summary>
/// The outbox rows a DbContext has saved but whose dispatch jobs are not enqueued yet (they wait for the commit).
/// It lives in the context's own EF service scope, so it belongs to one context, and EF resets it with the context:
/// when a pooled context goes back to the pool (<see cref="IResettableService"/>), nothing a request left here
/// reaches the next request that leases the same instance.
/// </summary>
internal sealed class OutboxPending : IResettableService
{
    private List<Guid>? _ids;

    public bool IsEmpty => _ids is null || _ids.Count == 0;

    public void Add(IEnumerable<Guid> ids) => (_ids ??= []).AddRange(ids);

    /// <summary>The ids held, and empties the list.</summary>
    public List<Guid>? Take()
    {
        var ids = _ids;
        _ids = null;
        return ids;
    }

    public void Clear() => _ids = null;

    public void ResetState() => Clear();

    public Task ResetStateAsync(CancellationToken cancellationToken = default)
    {
        Clear();
        return Task.CompletedTask;
    }

    /// <summary>The pending list of <paramref name="context"/> (from the context's internal service provider).</summary>
    public static OutboxPending Of(DbContext context) => context.GetService<OutboxPending>();
}

/// <summary>Registers <see cref="OutboxPending"/> in a module DbContext's internal service provider.</summary>
internal sealed class OutboxPendingExtension : IDbContextOptionsExtension
{
    private ExtensionInfo? _info;

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
        services.AddScoped<OutboxPending>();
        services.AddScoped<IResettableService>(sp => sp.GetRequiredService<OutboxPending>());
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "OutboxPending ";

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) => debugInfo["Outbox:Pending"] = "1";
    }
}

public static class OutboxOptions
{
    /// <summary>The outbox hook on a module DbContext: the pending list in its EF scope and the (singleton) interceptor.</summary>
    public static DbContextOptionsBuilder AddOutbox(this DbContextOptionsBuilder options, IServiceProvider services)
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(
            options.Options.FindExtension<OutboxPendingExtension>() ?? new OutboxPendingExtension());
        return options.AddInterceptors(services.GetRequiredService<OutboxInterceptor>());
    }
}
