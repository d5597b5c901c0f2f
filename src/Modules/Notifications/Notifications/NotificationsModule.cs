using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Modules.Infrastructure;
using ChaosModular.Modules.Infrastructure.Hosting;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Modules.Infrastructure.Telemetry;
using ChaosModular.Notifications.IntegrationEventHandlers;
using ChaosModular.Notifications.Jobs;
using ChaosModular.Notifications.Sending;
using ChaosModular.Notifications.Telemetry;
using ChaosModular.Notifications.Templates;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosModular.Notifications;

public sealed class NotificationsModule : IModule
{
    public string Name => NotificationsDbContext.Schema;

    public Type DbContextType => typeof(NotificationsDbContext);

    public void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<NotificationsDbContext>(Name);
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddOptions<EmailLinksOptions>().Configure(o =>
        {
            o.PortalBaseUrl = configuration["Portal:BaseUrl"] ?? o.PortalBaseUrl;
            o.SupportUrl = configuration["Support:HelpCenterUrl"] ?? o.SupportUrl;
        });
        services.AddSingleton<EmailTemplates>();
        services.AddSingleton<IEmailTransport, ConfiguredEmailTransport>();
        services.AddScoped<EmailJobs>();
        services.AddSingleton(sp => new JobRetrySchedule(typeof(EmailJobs),
            sp.GetRequiredService<IOptions<SmtpOptions>>().Value.RetryDelays() ?? throw new OptionsValidationException(
                SmtpOptions.Section, typeof(SmtpOptions), ["Smtp:RetryDelaysSeconds is not a list of whole seconds."])));
        services.AddScoped<EmailRequests>();
        services.AddScoped<INotificationsApi>(sp => sp.GetRequiredService<EmailRequests>());
        services.AddIntegrationEventHandler<CustomerRegistered, WelcomeEmailOnCustomerRegistered>();
        services.AddIntegrationEventHandler<PasswordChanged, NoticeOnPasswordChanged>();
        services.AddIntegrationEventHandler<PasswordResetRequested, ResetLinkOnPasswordResetRequested>();
        services.AddIntegrationEventHandler<EmailConfirmationRequested, LinkOnEmailConfirmationRequested>();
        services.AddIntegrationEventHandler<SignUpWithTakenEmail, NoticeOnSignUpWithTakenEmail>();
        services.AddBacklogProbe<EmailQueueProbe>();
    }

    public void RegisterRecurringJobs(IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<EmailJobs>(EmailJobs.SweepJobId, j => j.SweepAsync(CancellationToken.None), "*/5 * * * *");
}
