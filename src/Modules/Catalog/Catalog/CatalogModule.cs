using ChaosModular.Modules.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosModular.Catalog;

public sealed class CatalogModule : IModule
{
    public string Name => CatalogDbContext.Schema;

    public Type DbContextType => typeof(CatalogDbContext);

    public void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<CatalogDbContext>(Name);
        services.AddOptions<CatalogOptions>().Bind(configuration.GetSection(CatalogOptions.Section));
        services.AddModuleSeeder<CatalogLoader>(Name);
        services.AddSingleton<CatalogSnapshots>();
        services.AddScoped<ICatalogApi, CatalogApi>();
    }
}
