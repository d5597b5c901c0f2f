using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Notifications.Templates;

namespace ChaosModular.Notifications.IntegrationEventHandlers;

internal sealed class WelcomeEmailOnCustomerRegistered(EmailRequests emails) : IIntegrationEventHandler<CustomerRegistered>
{
    public Task HandleAsync(CustomerRegistered integrationEvent, CancellationToken cancellationToken) =>
        emails.QueueEmailAsync(new WelcomeEmail(StoredEmailModel.EventSourceKey<WelcomeEmail>(integrationEvent.EventId),
            integrationEvent.Email, integrationEvent.Name, integrationEvent.CustomerNumber), cancellationToken);
}

internal sealed class NoticeOnPasswordChanged(EmailRequests emails) : IIntegrationEventHandler<PasswordChanged>
{
    public Task HandleAsync(PasswordChanged integrationEvent, CancellationToken cancellationToken) =>
        emails.QueueEmailAsync(new PasswordChangedEmail(StoredEmailModel.EventSourceKey<PasswordChangedEmail>(integrationEvent.EventId),
            integrationEvent.Email, integrationEvent.Name, integrationEvent.OccurredUtc), cancellationToken);
}
