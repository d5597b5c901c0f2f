using System.Text.Json;
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
internal sealed class EmailRequests(NotificationsDbContext db, IBackgroundJobClient jobs, TimeProvider clock)
{
    public async Task QueueAsync(Guid sourceEventId, string template, string toAddress, string toName, IReadOnlyDictionary<string, string> model, CancellationToken cancellationToken)
    {
        var sourceKey = $"{sourceEventId:N}:{template}";
        if (await db.Emails.AnyAsync(e => e.SourceKey == sourceKey, cancellationToken))
        {
            return;
        }
        var email = Email.Create(sourceKey, toAddress, toName, template, JsonSerializer.Serialize(model), clock.GetUtcNow().UtcDateTime);
        db.Emails.Add(email);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same event is being handled concurrently; that run queues the email.
            return;
        }
        var id = email.Id;
        jobs.Enqueue<EmailJobs>(j => j.SendAsync(id, CancellationToken.None));
    }
}
