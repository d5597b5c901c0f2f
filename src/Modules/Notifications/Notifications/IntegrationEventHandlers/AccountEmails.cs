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

internal sealed class LinkOnEmailConfirmationRequested(EmailRequests emails) : IIntegrationEventHandler<EmailConfirmationRequested>
{
    public Task HandleAsync(EmailConfirmationRequested integrationEvent, CancellationToken cancellationToken) =>
        emails.QueueEmailAsync(new EmailConfirmationEmail(StoredEmailModel.EventSourceKey<EmailConfirmationEmail>(integrationEvent.EventId),
            integrationEvent.Email, integrationEvent.Name, integrationEvent.UserId, integrationEvent.Token, integrationEvent.ExpiresUtc), cancellationToken);
}

/// <summary>
/// At most one notice an hour per account (the source key names the hour), so filling in Create account again and again
/// with someone's address cannot flood their inbox.
/// </summary>
internal sealed class NoticeOnSignUpWithTakenEmail(EmailRequests emails) : IIntegrationEventHandler<SignUpWithTakenEmail>
{
    public Task HandleAsync(SignUpWithTakenEmail integrationEvent, CancellationToken cancellationToken) =>
        emails.QueueEmailAsync(new TakenEmailNoticeEmail(
            $"sign-up-with-taken-email:{integrationEvent.UserId}:{integrationEvent.OccurredUtc.ToString("yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture)}",
            integrationEvent.Email, integrationEvent.Name, integrationEvent.OccurredUtc), cancellationToken);
}
