using ChaosModular.CloudCredits.Api;
using ChaosModular.CloudCredits.IntegrationEventHandlers;
using ChaosModular.Modules.Infrastructure;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Organizations.Contracts.Events;
using Microsoft.AspNetCore.Routing;
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
        services.AddScoped<CreditUsers>();
        services.AddScoped<PoolBalances>();
        services.AddScoped<ManageAllocations>();
        services.AddScoped<MyCredits>();
        services.AddScoped<MonthlyConsumption>();
        services.AddScoped<ChooseActivePool>();
        services.AddIntegrationEventHandler<OrganizationMemberLeft, EndAllocationWhenMemberLeaves>();
        services.AddConsumptionApi();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapConsumptionApi();
}
