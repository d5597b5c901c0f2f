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

internal sealed class ResetLinkOnPasswordResetRequested(EmailRequests emails) : IIntegrationEventHandler<PasswordResetRequested>
{
    public Task HandleAsync(PasswordResetRequested integrationEvent, CancellationToken cancellationToken) =>
        emails.QueueEmailAsync(new PasswordResetEmail(StoredEmailModel.EventSourceKey<PasswordResetEmail>(integrationEvent.EventId),
            integrationEvent.Email, integrationEvent.Name, integrationEvent.UserId, integrationEvent.Token, integrationEvent.ExpiresUtc), cancellationToken);
}
