namespace ChaosModular.Notifications.Contracts;

/// <summary>Emails other modules ask for directly (with attachments, say); events cover the rest.</summary>
public interface INotificationsApi
{
    /// <summary>
    /// Stores the email and queues its sending. The source key makes it happen once: asking again with the
    /// same key (a retried job) does nothing.
    /// </summary>
    Task QueueEmailAsync(EmailMessage email, CancellationToken cancellationToken);
}
