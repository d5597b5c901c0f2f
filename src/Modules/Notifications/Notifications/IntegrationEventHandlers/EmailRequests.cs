using ChaosModular.Notifications.Jobs;
using ChaosModular.Notifications.Templates;
using Hangfire;

namespace ChaosModular.Notifications.IntegrationEventHandlers;

/// <summary>
/// Stores an email once per source (event id + template) and enqueues its sending job. A second
/// delivery of the same event finds the row and does nothing; a job lost before it ran is re-enqueued
/// by the email sweep.
/// </summary>
internal sealed class EmailRequests(NotificationsDbContext db, IBackgroundJobClient jobs, TimeProvider clock) : INotificationsApi
{
    public async Task QueueEmailAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        if (await db.Emails.AnyAsync(e => e.SourceKey == message.SourceKey, cancellationToken))
        {
            return;
        }
        var email = Email.Create(message.SourceKey, message.ToAddress, message.ToName,
            StoredEmailModel.TemplateOf(message), StoredEmailModel.Serialize(message), clock.GetUtcNow().UtcDateTime);
        foreach (var attachment in message.Attachments)
        {
            email.Attach(attachment.FileName, attachment.ContentType, attachment.Content);
        }
        db.Emails.Add(email);
        if (!await db.TryInsertOnceAsync(cancellationToken))
        {
            // The same event is being handled concurrently; that run queues the email.
            return;
        }
        var id = email.Id;
        jobs.Enqueue<EmailJobs>(j => j.SendAsync(id, CancellationToken.None));
    }
}
