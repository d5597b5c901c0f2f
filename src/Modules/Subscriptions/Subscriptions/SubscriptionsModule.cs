using ChaosModular.Billing.Contracts.Events;
using ChaosModular.Modules.Infrastructure;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Subscriptions.Contracts.Events;
using ChaosModular.Subscriptions.IntegrationEventHandlers;
using ChaosModular.Subscriptions.Jobs;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosModular.Subscriptions;

/// <summary>Subscriptions: Active and Expired Products, seats, upgrades, auto-renewal, Buy Again, downloads and renewals.</summary>
public sealed class SubscriptionsModule : IModule
{
    public string Name => SubscriptionsDbContext.Schema;

    public Type DbContextType => typeof(SubscriptionsDbContext);

    public void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<SubscriptionsDbContext>(Name);
        services.AddOptions<SubscriptionsOptions>().Bind(configuration.GetSection(SubscriptionsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SubscriptionsOptions>, SubscriptionsOptionsValidator>();
        services.AddScoped<CompleteOrder>();
        services.AddScoped<CancelOrder>();
        services.AddScoped<ShowOrder>();
        services.AddScoped<EmailOrderOutcome>();
        services.AddScoped<PayForOrder>();
        services.AddScoped<AddSeats>();
        services.AddScoped<Upgrade>();
        services.AddScoped<BuyAgain>();
        services.AddScoped<ChangeSubscription>();
        services.AddScoped<ListSubscriptions>();
        services.AddScoped<ShowSubscription>();
        services.AddScoped<ListDownloads>();
        services.AddScoped<RenewSubscriptions>();
        services.AddScoped<SendRenewalReminders>();
        services.AddScoped<RenewalJob>();
        services.AddModuleSeeder<SubscriptionsSeeder>(Name);
        services.AddScoped<ISubscriptionsApi, SubscriptionsApi>();
        services.AddIntegrationEventHandler<InvoicePaid, CompleteOrderOnInvoicePaid>();
        services.AddIntegrationEventHandler<InvoiceVoided, CancelOrderOnInvoiceVoided>();
        services.AddIntegrationEventHandler<SubscriptionExpired, ExpiryNoticeOnSubscriptionExpired>();
        services.AddIntegrationEventHandler<PaidOrderNotApplied, RefundOnPaidOrderNotApplied>();
    }

    public void RegisterRecurringJobs(IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<RenewalJob>(RenewalJob.JobId, j => j.RunAsync(CancellationToken.None), Cron.Hourly());
}
