namespace ChaosModular.Notifications.Contracts;

/// <summary>Emails other modules ask for directly (with attachments, say); events cover the rest.</summary>
public interface INotificationsApi
{
    /// <summary>
    /// Stores the email and queues its sending. The source key makes it happen once: asking again with the
    /// same key (a retried job) does nothing.
    /// </summary>
    Task QueueEmailAsync(EmailMessage email, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="QueueEmailAsync"/> for many emails in one go (a bulk invite's batch): the ones whose source key is already
    /// stored are left out, the rest stored together and sent by a few jobs rather than one per email.
    /// </summary>
    Task QueueEmailsAsync(IReadOnlyList<EmailMessage> emails, CancellationToken cancellationToken);
}
