using ChaosModular.Catalog.Contracts;
using ChaosModular.Catalog.Data;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Modules.Infrastructure;
using ChaosModular.Modules.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
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
        services.AddScoped<CatalogLoader>();
        services.AddScoped<ICatalogApi, CatalogApi>();
    }

    public async Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().Database.MigrateAsync(cancellationToken);
        var path = scope.ServiceProvider.GetRequiredService<IOptions<CatalogOptions>>().Value.DataFile;
        var file = Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"Catalog:DataFile '{file}' does not exist.", file);
        }
        var catalog = CatalogFile.Parse(await File.ReadAllTextAsync(file, cancellationToken));
        await scope.ServiceProvider.GetRequiredService<CatalogLoader>().LoadAsync(catalog, cancellationToken);
    }
}
