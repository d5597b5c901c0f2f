using System.Text.Json;
using ChaosModular.Notifications.Contracts;
using ChaosModular.Notifications.Data;
using ChaosModular.Notifications.Domain;
using ChaosModular.Notifications.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Notifications.IntegrationEventHandlers;

/// <summary>
/// Stores an email once per source (event id + template) and enqueues its sending job. A second
/// delivery of the same event finds the row and does nothing; a job lost before it ran is re-enqueued
/// by the email sweep.
/// </summary>
internal sealed class EmailRequests(NotificationsDbContext db, IBackgroundJobClient jobs, TimeProvider clock) : INotificationsApi
{
    public Task QueueAsync(Guid sourceEventId, string template, string toAddress, string toName, IReadOnlyDictionary<string, string> model, CancellationToken cancellationToken) =>
        QueueEmailAsync(new EmailRequest($"{sourceEventId:N}:{template}", toAddress, toName, template, model), cancellationToken);

    public async Task QueueEmailAsync(EmailRequest request, CancellationToken cancellationToken)
    {
        var (sourceKey, toAddress, toName, template, model) = (request.SourceKey, request.ToAddress, request.ToName, request.Template, request.Model);
        if (await db.Emails.AnyAsync(e => e.SourceKey == sourceKey, cancellationToken))
        {
            return;
        }
        var email = Email.Create(sourceKey, toAddress, toName, template, JsonSerializer.Serialize(model), clock.GetUtcNow().UtcDateTime);
        foreach (var attachment in request.Attachments ?? [])
        {
            email.Attach(attachment.FileName, attachment.ContentType, attachment.Content);
        }
        db.Emails.Add(email);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same event is being handled concurrently; that run queues the email.
            db.ChangeTracker.Clear();
            return;
        }
        var id = email.Id;
        jobs.Enqueue<EmailJobs>(j => j.SendAsync(id, CancellationToken.None));
    }
}
