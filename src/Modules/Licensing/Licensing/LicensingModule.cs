using ChaosModular.Licensing.Api;
using ChaosModular.Licensing.IntegrationEventHandlers;
using ChaosModular.Licensing.Jobs;
using ChaosModular.Licensing.Signing;
using ChaosModular.Modules.Infrastructure;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Organizations.Contracts.Events;
using ChaosModular.Subscriptions.Contracts.Events;
using Hangfire;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosModular.Licensing;

/// <summary>Licensing: a license per subscription with its availability, license servers (by file or the online API) and borrowing, under the Licensing menu.</summary>
public sealed class LicensingModule : IModule
{
    public string Name => LicensingDbContext.Schema;

    public Type DbContextType => typeof(LicensingDbContext);

    public void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<LicensingDbContext>(Name);
        services.AddOptions<LicensingOptions>().Bind(configuration.GetSection(LicensingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LicensingOptions>, LicensingOptionsValidator>();
        services.AddSingleton<SigningKeyRing>();
        services.AddScoped<SeatLedger>();
        services.AddScoped<FollowSubscription>();
        services.AddScoped<ActivateFromFile>();
        services.AddScoped<FileActivationResponse>();
        services.AddScoped<ListLicenses>();
        services.AddScoped<ShowLicense>();
        services.AddScoped<ListServers>();
        services.AddScoped<DeactivateServer>();
        services.AddScoped<ShowFileActivation>();
        services.AddScoped<BorrowSeats>();
        services.AddScoped<ShowBorrow>();
        services.AddScoped<BorrowFile>();
        services.AddScoped<ReturnBorrow>();
        services.AddScoped<ILicensingApi, LicensingApi>();
        services.AddModuleSeeder<LicensingSeeder>(Name);
        services.AddModuleSeeder<LicensingDemoSeeder>(Name);
        services.AddIntegrationEventHandler<SubscriptionCreated, LicenseFollowsSubscription>();
        services.AddIntegrationEventHandler<SubscriptionSeatsChanged, LicenseFollowsSubscription>();
        services.AddIntegrationEventHandler<SubscriptionUpgraded, LicenseFollowsSubscription>();
        services.AddIntegrationEventHandler<SubscriptionRenewed, LicenseFollowsSubscription>();
        services.AddIntegrationEventHandler<SubscriptionExpired, LicenseFollowsSubscription>();
        services.AddLicenseServerApi(configuration);
        services.AddScoped<AllocateSeats>();
        services.AddScoped<LicenseAllocations>();
        services.AddScoped<EndLapsedAllocations>();
        services.AddScoped<ILicenseAllocationsApi, LicenseAllocationsApi>();
        services.AddIntegrationEventHandler<OrganizationMemberLeft, AllocationsEndWhenMemberLeaves>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        PublishedKeys.Map(endpoints);
        endpoints.MapLicenseServerApi();
    }

    public void RegisterRecurringJobs(IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<LapseJob>(LapseJob.JobId, j => j.RunAsync(CancellationToken.None), Cron.Minutely());
}
