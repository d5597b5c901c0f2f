using ChaosModular.Notifications.Jobs;
using ChaosModular.Notifications.Templates;
using Hangfire;

namespace ChaosModular.Notifications.IntegrationEventHandlers;

/// <summary>
/// Stores emails once per source (event id + template) and enqueues their sending, a job per
/// <see cref="ChunkSize"/> emails. A second delivery of the same event finds the row and does nothing; a job
/// lost before it ran is re-enqueued by the email sweep.
/// </summary>
internal sealed class EmailRequests(NotificationsDbContext db, IBackgroundJobClient jobs, TimeProvider clock) : INotificationsApi
{
    /// <summary>Emails per sending job: few jobs for a bulk invite's thousands, and a retry never holds many.</summary>
    public const int ChunkSize = 100;

    public Task QueueEmailAsync(EmailMessage email, CancellationToken cancellationToken) => QueueEmailsAsync([email], cancellationToken);

    public async Task QueueEmailsAsync(IReadOnlyList<EmailMessage> emails, CancellationToken cancellationToken)
    {
        var asked = emails.DistinctBy(m => m.SourceKey, StringComparer.Ordinal).ToList();
        if (asked.Count == 0)
        {
            return;
        }
        var keys = asked.Select(m => m.SourceKey).ToList();
        var stored = (await db.Emails.Where(e => keys.Contains(e.SourceKey)).Select(e => e.SourceKey).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var now = clock.GetUtcNow().UtcDateTime;
        var created = asked.Where(m => !stored.Contains(m.SourceKey)).Select(m => Store(m, now)).ToList();
        if (created.Count == 0)
        {
            return;
        }
        db.Emails.AddRange(created);
        var inserted = created;
        if (!await TryInsertAllAsync(cancellationToken))
        {
            // A concurrent caller (the same event handled twice, two runs of one bulk invite) stored some of them first:
            // one at a time, each insert either wins or leaves the email to the caller that stored it, which queues it.
            inserted = [];
            foreach (var email in created)
            {
                db.Emails.Add(email);
                if (await db.TryInsertOnceAsync(cancellationToken))
                {
                    inserted.Add(email);
                }
            }
        }
        // Let go of what was stored (not Clear: a caller's own tracked changes in this context stay), so a caller queuing
        // thousands in one scope does not keep them all.
        foreach (var email in inserted)
        {
            foreach (var attachment in email.Attachments)
            {
                db.Entry(attachment).State = EntityState.Detached;
            }
            db.Entry(email).State = EntityState.Detached;
        }
        foreach (var chunk in inserted.Select(e => e.Id).Chunk(ChunkSize))
        {
            jobs.Enqueue<EmailJobs>(j => j.SendBatchAsync(chunk, CancellationToken.None));
        }
    }

    /// <summary>
    /// Claims.TryInsertOnceAsync, and also false when the database chose this insert as a deadlock's victim (rolled back
    /// whole): two callers inserting overlapping emails each wait for the other's unique keys, in the order of their ids.
    /// </summary>
    private async Task<bool> TryInsertAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is DbUpdateException and not DbUpdateConcurrencyException || IsTransient(ex))
        {
            db.ChangeTracker.Clear();
            return false;
        }

        static bool IsTransient(Exception? ex)
        {
            for (; ex is not null; ex = ex.InnerException)
            {
                if (ex is System.Data.Common.DbException { IsTransient: true })
                {
                    return true;
                }
            }
            return false;
        }
    }

    private static Email Store(EmailMessage message, DateTime utcNow)
    {
        var email = Email.Create(message.SourceKey, message.ToAddress, message.ToName,
            StoredEmailModel.TemplateOf(message), StoredEmailModel.Serialize(message), utcNow);
        foreach (var attachment in message.Attachments)
        {
            email.Attach(attachment.FileName, attachment.ContentType, attachment.Content, attachment.Renderer, attachment.Reference);
        }
        return email;
    }
}
