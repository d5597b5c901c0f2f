using ChaosModular.Modules.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosModular.CloudCredits;

public sealed class CloudCreditsModule : IModule
{
    public string Name => CloudCreditsDbContext.Schema;

    public Type DbContextType => typeof(CloudCreditsDbContext);

    public void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<CloudCreditsDbContext>(Name);
        services.AddOptions<CloudCreditsOptions>().Bind(configuration.GetSection(CloudCreditsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CloudCreditsOptions>, CloudCreditsOptionsValidator>();
        services.AddScoped<CustomerCredits>();
        services.AddScoped<StartRenderingLink>();
        services.AddModuleSeeder<CloudCreditsSeeder>(Name);
        services.AddScoped<ICloudCreditsApi, CloudCreditsApi>();
    }
}
