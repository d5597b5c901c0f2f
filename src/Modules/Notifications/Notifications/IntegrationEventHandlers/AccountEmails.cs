using System.Globalization;
using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Notifications.Templates;

namespace ChaosModular.Notifications.IntegrationEventHandlers;

internal sealed class WelcomeEmailOnCustomerRegistered(EmailRequests emails) : IIntegrationEventHandler<CustomerRegistered>
{
    public Task HandleAsync(CustomerRegistered integrationEvent, CancellationToken cancellationToken) =>
        emails.QueueAsync(integrationEvent.EventId, EmailTemplates.Welcome, integrationEvent.Email, integrationEvent.Name,
            new Dictionary<string, string>
            {
                ["name"] = integrationEvent.Name,
                ["customerNumber"] = integrationEvent.CustomerNumber,
            },
            cancellationToken);
}

internal sealed class NoticeOnPasswordChanged(EmailRequests emails) : IIntegrationEventHandler<PasswordChanged>
{
    public Task HandleAsync(PasswordChanged integrationEvent, CancellationToken cancellationToken) =>
        emails.QueueAsync(integrationEvent.EventId, EmailTemplates.PasswordChanged, integrationEvent.Email, integrationEvent.Name,
            new Dictionary<string, string>
            {
                ["name"] = integrationEvent.Name,
                ["changedUtc"] = integrationEvent.OccurredUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            },
            cancellationToken);
}
