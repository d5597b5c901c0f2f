namespace ChaosModular.Notifications.Contracts;

/// <summary>Emails other modules ask for directly (with attachments, say); events cover the rest.</summary>
public interface INotificationsApi
{
    /// <summary>
    /// Stores the email and queues its sending. The source key makes it happen once: asking again with the
    /// same key (a retried job) does nothing.
    /// </summary>
    Task QueueEmailAsync(EmailRequest request, CancellationToken cancellationToken);
}

public sealed record EmailRequest(
    string SourceKey,
    string ToAddress,
    string ToName,
    string Template,
    IReadOnlyDictionary<string, string> Model,
    IReadOnlyList<EmailAttachment>? Attachments = null);

public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>Templates other modules may name.</summary>
public static class EmailTemplateNames
{
    /// <summary>Model: name, amount, invoices, paidUtc, method.</summary>
    public const string Receipt = "receipt";

    /// <summary>Model: name, amount, invoices, reason, nextAttempt (may be empty).</summary>
    public const string PaymentFailed = "payment-failed";

    /// <summary>Model: name, product, renewsOn, autoRenew ("true"/"false"), seats, amount (may be empty), method (may be empty).</summary>
    public const string RenewalReminder = "renewal-reminder";

    /// <summary>Model: name, product, expiredOn, reason (may be empty).</summary>
    public const string SubscriptionExpired = "subscription-expired";
}
