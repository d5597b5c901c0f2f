using System.ComponentModel;
using System.Globalization;
using ChaosModular.Notifications.Sending;
using ChaosModular.Notifications.Templates;
using Hangfire;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ChaosModular.Notifications.Jobs;

/// <summary>
/// Sends stored emails, a chunk per job. Each email is claimed on its own: a failure (SMTP down) records its error
/// and the others are still sent; then the job fails, so Hangfire retries on the schedule below and the retry sends
/// only what is left (a sent email is never sent again by a repeated job).
/// </summary>
internal sealed class EmailJobs
{
    public const string SweepJobId = "emails-sweep";

    private const int MaxAttempts = 11;

    /// <summary>Longer than any SMTP conversation; a crashed sender's claim expires after it.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly NotificationsDbContext _db;
    private readonly IEmailTransport _transport;
    private readonly EmailTemplates _templates;
    private readonly IOptions<SmtpOptions> _smtp;
    private readonly TimeProvider _clock;
    private readonly IBackgroundJobClient _jobs;

    public EmailJobs(NotificationsDbContext db, IEmailTransport transport, EmailTemplates templates, IOptions<SmtpOptions> smtp, TimeProvider clock, IBackgroundJobClient jobs)
    {
        _db = db;
        _transport = transport;
        _templates = templates;
        _smtp = smtp;
        _clock = clock;
        _jobs = jobs;
    }

    /// <summary>The one-email job of earlier releases (still in a queue after an upgrade); a batch of one.</summary>
    [DisplayName("Send email {0}")]
    [AutomaticRetry(Attempts = 10, DelaysInSeconds = [10, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 43200])]
    public Task SendAsync(Guid emailId, CancellationToken cancellationToken) => SendBatchAsync([emailId], cancellationToken);

    [DisplayName("Send a batch of emails")]
    [AutomaticRetry(Attempts = 10, DelaysInSeconds = [10, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 43200])]
    public async Task SendBatchAsync(Guid[] emailIds, CancellationToken cancellationToken)
    {
        var failures = new List<Exception>();
        await using (var sender = _transport.OpenSender())
        {
            foreach (var emailId in emailIds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await SendOneAsync(emailId, sender, cancellationToken) is { } failure)
                {
                    failures.Add(failure);
                }
            }
        }
        if (failures.Count == 1 && emailIds.Length == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failures[0]);
        }
        if (failures.Count > 0)
        {
            throw new AggregateException(
                string.Create(CultureInfo.InvariantCulture, $"{failures.Count} of {emailIds.Length} emails were not sent; the retry sends them (the sent ones are skipped)."),
                failures);
        }
    }

    /// <returns>The failure, recorded on the email; null when it was sent or was not this job's to send.</returns>
    private async Task<Exception?> SendOneAsync(Guid emailId, IEmailSender sender, CancellationToken cancellationToken)
    {
        // Claim the email atomically: a duplicate job (a sweep, a double delivery) finds it taken or sent and stops.
        var now = _clock.GetUtcNow().UtcDateTime;
        var leaseUntil = now.Add(Lease);
        var claimed = await _db.Emails
            .Where(e => e.Id == emailId && e.SentUtc == null && (e.LeaseUntilUtc == null || e.LeaseUntilUtc < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.LeaseUntilUtc, leaseUntil)
                .SetProperty(e => e.Attempts, e => e.Attempts + 1)
                .SetProperty(e => e.LastAttemptUtc, now), cancellationToken);
        if (claimed == 0)
        {
            return null;
        }
        _db.ChangeTracker.Clear();
        var email = await _db.Emails.Include(e => e.Attachments).SingleAsync(e => e.Id == emailId, cancellationToken);
        try
        {
            var rendered = await _templates.RenderAsync(StoredEmailModel.Deserialize(email.Template, email.SourceKey, email.ToAddress, email.ToName, email.ModelJson));
            using var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse(_smtp.Value.From));
            message.To.Add(new MailboxAddress(email.ToName, email.ToAddress));
            message.Subject = rendered.Subject;
            message.MessageId = $"{email.Id:N}@chaosmodular";
            var body = new BodyBuilder { HtmlBody = rendered.Html, TextBody = rendered.Text };
            foreach (var attachment in email.Attachments)
            {
                body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
            }
            message.Body = body.ToMessageBody();
            await sender.SendAsync(message, cancellationToken);
        }
        catch (Exception ex)
        {
            // Release the claim so Hangfire's retry (or the sweep) can try again; a stopping Worker stops the batch here.
            email.Failed(ex.Message);
            await _db.SaveChangesAsync(CancellationToken.None);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            return ex;
        }
        email.Sent(_clock.GetUtcNow().UtcDateTime);
        await _db.SaveChangesAsync(CancellationToken.None);
        return null;
    }

    /// <summary>
    /// Re-enqueues unsent emails whose job was lost (an in-memory queue after a restart, a crash): never
    /// tried after five minutes, or not tried for an hour while Hangfire's retries are left. The claim in
    /// <see cref="SendOneAsync"/> keeps a duplicate job from sending twice.
    /// </summary>
    [DisplayName("Sweep unsent emails")]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        var neverTried = now.AddMinutes(-5);
        var quiet = now.AddHours(-1);
        var lost = await _db.Emails
            .Where(e => e.SentUtc == null && (e.LeaseUntilUtc == null || e.LeaseUntilUtc < now) && e.Attempts < MaxAttempts
                && ((e.Attempts == 0 && e.CreatedUtc < neverTried) || e.LastAttemptUtc < quiet))
            .Select(e => e.Id)
            .Take(500)
            .ToListAsync(cancellationToken);
        foreach (var chunk in lost.Chunk(IntegrationEventHandlers.EmailRequests.ChunkSize))
        {
            _jobs.Enqueue<EmailJobs>(j => j.SendBatchAsync(chunk, CancellationToken.None));
        }
    }
}
