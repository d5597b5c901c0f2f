using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Notifications.Contracts;

/// <summary>
/// One email, typed by what it says: each kind is a record below whose fields its template needs, so a
/// missing value is a compile error. Only Notifications defines kinds (the constructor is internal):
/// a kind it cannot render cannot be asked for.
/// </summary>
/// <param name="SourceKey">Makes the email happen once: asking again with the same key does nothing.</param>
/// <param name="ToName">The recipient, also the name the email greets.</param>
public abstract record EmailMessage
{
    internal EmailMessage(string sourceKey, string toAddress, string toName)
    {
        SourceKey = sourceKey;
        ToAddress = toAddress;
        ToName = toName;
    }

    public string SourceKey { get; }
    public string ToAddress { get; }
    public string ToName { get; }
    public IReadOnlyList<EmailAttachment> Attachments { get; init; } = [];
}

/// <summary>
/// A file sent with an email: its <paramref name="Content"/> now, or (<see cref="RenderedWhenSent"/>) a reference that the
/// module which asked for the email turns into the file when the email is sent (<see cref="IEmailAttachmentRenderer"/>),
/// so a large generated file (a receipt's PDF) is not stored with every queued email.
/// </summary>
public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content)
{
    /// <summary>The <see cref="IEmailAttachmentRenderer.Name"/> that makes the file when it is sent; null when <see cref="Content"/> is the file.</summary>
    public string? Renderer { get; private init; }

    /// <summary>What the renderer is given (say, a payment's id).</summary>
    public string? Reference { get; private init; }

    public static EmailAttachment RenderedWhenSent(string fileName, string contentType, string renderer, string reference) =>
        new(fileName, contentType, []) { Renderer = renderer, Reference = reference };
}

/// <summary>
/// Makes an attachment's file when its email is sent (<see cref="EmailAttachment.RenderedWhenSent"/>), registered by the
/// module that asks for such emails. It may be asked again for the same reference (a send that failed is retried) and
/// must give the same file.
/// </summary>
public interface IEmailAttachmentRenderer
{
    string Name { get; }

    Task<byte[]> RenderAsync(string reference, CancellationToken cancellationToken);
}

/// <summary>A payment was received; <paramref name="Method"/> reads "Visa ending in 4242", "your account credit".</summary>
public sealed record ReceiptEmail(
    string SourceKey, string ToAddress, string ToName, Money Amount, IReadOnlyList<string> Invoices, DateTime PaidUtc, string Method)
    : EmailMessage(SourceKey, ToAddress, ToName);

/// <summary>A payment did not go through; without <paramref name="NextAttempt"/> none is scheduled.</summary>
public sealed record PaymentFailedEmail(
    string SourceKey, string ToAddress, string ToName, Money Amount, IReadOnlyList<string> Invoices, string Reason, DateOnly? NextAttempt)
    : EmailMessage(SourceKey, ToAddress, ToName);

/// <summary>Money paid for something that did not take effect was put on the customer's unapplied credits.</summary>
public sealed record CreditGrantedEmail(string SourceKey, string ToAddress, string ToName, Money Amount, string Invoice, string Reason)
    : EmailMessage(SourceKey, ToAddress, ToName);

/// <summary>
/// A subscription renews (or, with auto-renewal off, ends) on <paramref name="RenewsOn"/>;
/// <paramref name="Method"/> (null when none is saved) reads "Visa ending in 4242".
/// </summary>
public sealed record RenewalReminderEmail(
    string SourceKey, string ToAddress, string ToName, string Product, DateOnly RenewsOn, bool AutoRenew, int Seats, Money Amount, string? Method)
    : EmailMessage(SourceKey, ToAddress, ToName);

/// <summary>A subscription expired; <paramref name="Reason"/> only when it was not simply left to run out.</summary>
public sealed record SubscriptionExpiredEmail(
    string SourceKey, string ToAddress, string ToName, string Product, DateOnly? ExpiredOn, string? Reason)
    : EmailMessage(SourceKey, ToAddress, ToName);

/// <summary>
/// A purchase whose payment the payment service had not answered when it was placed is paid and has taken effect.
/// <paramref name="Order"/> is the order in words ("2 added seat(s) of V-Ray Solo"); the link opens the order's status page.
/// </summary>
public sealed record OrderCompletedEmail(
    string SourceKey, string ToAddress, string ToName, string Order, Money Amount, string? Invoice, Guid OrderId)
    : EmailMessage(SourceKey, ToAddress, ToName);

/// <summary>Such a purchase failed (its payment was declined in the end): nothing changed, and <paramref name="Reason"/> says why.</summary>
public sealed record OrderFailedEmail(
    string SourceKey, string ToAddress, string ToName, string Order, Money Amount, string? Invoice, string Reason, Guid OrderId)
    : EmailMessage(SourceKey, ToAddress, ToName);

/// <summary>Support appointed the recipient an administrator of <paramref name="Organization"/>; the link opens the Organization menu.</summary>
public sealed record OrganizationAdministratorAppointedEmail(string SourceKey, string ToAddress, string ToName, string Organization)
    : EmailMessage(SourceKey, ToAddress, ToName);

/// <summary>
/// An administrator of <paramref name="Organization"/> invites the recipient as <paramref name="Role"/> ("Member", "Guest");
/// the link carries <paramref name="Token"/> and works until <paramref name="ExpiresUtc"/>.
/// </summary>
public sealed record OrganizationInvitationEmail(
    string SourceKey, string ToAddress, string ToName, string Organization, string Role, string Token, DateTime ExpiresUtc)
    : EmailMessage(SourceKey, ToAddress, ToName);

/// <summary>An administrator removed the recipient from <paramref name="Organization"/>.</summary>
public sealed record OrganizationRemovalEmail(
    string SourceKey, string ToAddress, string ToName, string Organization, DateTime RemovedUtc)
    : EmailMessage(SourceKey, ToAddress, ToName);

/// <summary>
/// A bulk invite the recipient sent for <paramref name="Organization"/> from <paramref name="FileName"/> has finished;
/// the per-row results are attached as CSV and the link opens its status page.
/// </summary>
public sealed record OrganizationBulkInviteReportEmail(
    string SourceKey, string ToAddress, string ToName, string Organization, string FileName, int Rows, int Invited, int NotSent, Guid BulkInviteId)
    : EmailMessage(SourceKey, ToAddress, ToName);
