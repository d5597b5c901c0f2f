using ChaosModular.Modules.Abstractions;
using ChaosModular.Modules.Abstractions.Persistence;
using ChaosModular.Subscriptions.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosModular.Subscriptions;

/// <summary>
/// Subscriptions, seats, auto-renewal, cart and renewals. This first part holds the schema and the
/// rules (proration, auto-renewal windows); the pages and jobs follow in the Products issue.
/// </summary>
public sealed class SubscriptionsModule : IModule
{
    public string Name => SubscriptionsDbContext.Schema;

    public void Register(IServiceCollection services, IConfiguration configuration) =>
        services.AddModuleDbContext<SubscriptionsDbContext>(Name);

    public async Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SubscriptionsDbContext>().Database.MigrateAsync(cancellationToken);
    }
}
