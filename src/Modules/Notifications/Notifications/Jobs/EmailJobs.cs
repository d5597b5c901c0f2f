using System.ComponentModel;
using System.Globalization;
using ChaosModular.Notifications.Sending;
using ChaosModular.Notifications.Templates;
using Hangfire;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ChaosModular.Notifications.Jobs;

/// <summary>
/// Sends stored emails, a chunk per job. The chunk is claimed in one statement (a lease under a holder id new to this
/// run), read in one query, and marked sent every <see cref="MarkEvery"/> emails, so a chunk of 100 costs a handful of
/// round trips instead of three per email. A failure (SMTP down) records its error on that email and the others are
/// still sent; then the job fails, so Hangfire retries on the schedule below and the retry sends only what is left (a
/// sent email is never sent again by a repeated job; a Worker that dies mid-chunk resends at most the emails sent since
/// the last mark, once their lease expires). The retry delays are configuration (<see cref="SmtpOptions.RetryDelaysSeconds"/>,
/// applied by the host as a <see cref="ChaosModular.Modules.Infrastructure.Hosting.JobRetrySchedule"/>).
/// </summary>
internal sealed class EmailJobs
{
    public const string SweepJobId = "emails-sweep";

    /// <summary>Sent emails are recorded in groups of this many (and before any failure is recorded, and at the end).</summary>
    public const int MarkEvery = 20;

    /// <summary>Longer than any chunk's SMTP conversation; a crashed sender's claim expires after it.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly NotificationsDbContext _db;
    private readonly IEmailTransport _transport;
    private readonly EmailTemplates _templates;
    private readonly IOptions<SmtpOptions> _smtp;
    private readonly TimeProvider _clock;
    private readonly IBackgroundJobClient _jobs;
    private readonly IEnumerable<IEmailAttachmentRenderer> _renderers;

    public EmailJobs(NotificationsDbContext db, IEmailTransport transport, EmailTemplates templates, IOptions<SmtpOptions> smtp, TimeProvider clock, IBackgroundJobClient jobs,
        IEnumerable<IEmailAttachmentRenderer> renderers)
    {
        _db = db;
        _transport = transport;
        _templates = templates;
        _smtp = smtp;
        _clock = clock;
        _jobs = jobs;
        _renderers = renderers;
    }

    /// <summary>The one-email job of earlier releases (still in a queue after an upgrade); a batch of one.</summary>
    [DisplayName("Send email {0}")]
    public Task SendAsync(Guid emailId, CancellationToken cancellationToken) => SendBatchAsync([emailId], cancellationToken);

    [DisplayName("Send a batch of emails")]
    public async Task SendBatchAsync(Guid[] emailIds, CancellationToken cancellationToken)
    {
        var holder = Guid.NewGuid();
        var claimed = await ClaimAsync(emailIds, holder, cancellationToken);
        if (claimed.Count == 0)
        {
            return;
        }
        var failures = new List<Exception>();
        var sent = new List<Guid>();
        try
        {
            await using var sender = _transport.OpenSender();
            foreach (var email in claimed)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    using var message = await ComposeAsync(email, cancellationToken);
                    await sender.SendAsync(message, cancellationToken);
                }
                catch (Exception ex)
                {
                    await MarkSentAsync(sent, holder);
                    await MarkFailedAsync(email.Id, holder, ex.Message);
                    if (cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }
                    failures.Add(ex);
                    continue;
                }
                sent.Add(email.Id);
                if (sent.Count >= MarkEvery)
                {
                    await MarkSentAsync(sent, holder);
                }
            }
        }
        finally
        {
            // Sent ones recorded; the rest of a stopped chunk let go at once, so the retry need not wait for the lease.
            await MarkSentAsync(sent, holder);
            await _db.Emails.Where(e => emailIds.Contains(e.Id) && e.LeaseHolder == holder)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseUntilUtc, (DateTime?)null).SetProperty(e => e.LeaseHolder, (Guid?)null), CancellationToken.None);
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

    /// <summary>
    /// Claims, atomically, the chunk's emails that are neither sent nor held by another job (a duplicate job, a sweep, a
    /// double delivery finds them taken or sent and leaves them), and reads back what this run holds, in the chunk's order.
    /// </summary>
    private async Task<List<Email>> ClaimAsync(Guid[] emailIds, Guid holder, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        var leaseUntil = now.Add(Lease);
        var count = await _db.Emails
            .Where(e => emailIds.Contains(e.Id) && e.SentUtc == null && (e.LeaseUntilUtc == null || e.LeaseUntilUtc < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.LeaseUntilUtc, leaseUntil)
                .SetProperty(e => e.LeaseHolder, holder)
                .SetProperty(e => e.Attempts, e => e.Attempts + 1)
                .SetProperty(e => e.LastAttemptUtc, now), cancellationToken);
        if (count == 0)
        {
            return [];
        }
        var held = await _db.Emails.AsNoTracking().Include(e => e.Attachments)
            .Where(e => emailIds.Contains(e.Id) && e.LeaseHolder == holder)
            .ToDictionaryAsync(e => e.Id, cancellationToken);
        return [.. emailIds.Distinct().Where(held.ContainsKey).Select(id => held[id])];
    }

    private async Task<MimeMessage> ComposeAsync(Email email, CancellationToken cancellationToken)
    {
        var rendered = await _templates.RenderAsync(StoredEmailModel.Deserialize(email.Template, email.SourceKey, email.ToAddress, email.ToName, email.ModelJson));
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(_smtp.Value.From));
        message.To.Add(new MailboxAddress(email.ToName, email.ToAddress));
        message.Subject = rendered.Subject;
        message.MessageId = $"{email.Id:N}@chaosmodular";
        var body = new BodyBuilder { HtmlBody = rendered.Html, TextBody = rendered.Text };
        foreach (var attachment in email.Attachments)
        {
            var content = attachment.Renderer is null ? attachment.Content : await RenderAsync(attachment, cancellationToken);
            body.Attachments.Add(attachment.FileName, content, ContentType.Parse(attachment.ContentType));
        }
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>An attachment made at send time by the renderer that asked for it; a missing renderer fails the send (recorded, retried).</summary>
    private Task<byte[]> RenderAsync(StoredAttachment attachment, CancellationToken cancellationToken) =>
        (_renderers.FirstOrDefault(r => r.Name == attachment.Renderer)
            ?? throw new InvalidOperationException($"No attachment renderer '{attachment.Renderer}' is registered for {attachment.FileName}."))
        .RenderAsync(attachment.Reference ?? "", cancellationToken);

    /// <summary>Records the emails sent so far (only while this run still holds them) and empties the list.</summary>
    private async Task MarkSentAsync(List<Guid> sent, Guid holder)
    {
        if (sent.Count == 0)
        {
            return;
        }
        var ids = sent.ToArray();
        var now = _clock.GetUtcNow().UtcDateTime;
        await _db.Emails.Where(e => ids.Contains(e.Id) && e.LeaseHolder == holder)
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.SentUtc, now)
                .SetProperty(e => e.LastError, (string?)null)
                .SetProperty(e => e.LeaseUntilUtc, (DateTime?)null)
                .SetProperty(e => e.LeaseHolder, (Guid?)null), CancellationToken.None);
        sent.Clear();
    }

    /// <summary>Records the failure and lets go of the email, so Hangfire's retry (or the sweep) can try it again.</summary>
    private Task MarkFailedAsync(Guid emailId, Guid holder, string error)
    {
        var text = Email.ErrorText(error);
        return _db.Emails.Where(e => e.Id == emailId && e.LeaseHolder == holder)
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.LastError, text)
                .SetProperty(e => e.LeaseUntilUtc, (DateTime?)null)
                .SetProperty(e => e.LeaseHolder, (Guid?)null), CancellationToken.None);
    }

    /// <summary>
    /// Re-enqueues unsent emails whose job was lost (an in-memory queue after a restart, a crash): never
    /// tried after five minutes, or not tried for an hour while Hangfire's retries are left (the first attempt and one
    /// per configured retry delay; after the last one the job stays Failed and the row keeps its error). The claim in
    /// <see cref="ClaimAsync"/> keeps a duplicate job from sending twice.
    /// </summary>
    [DisplayName("Sweep unsent emails")]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        var neverTried = now.AddMinutes(-5);
        var quiet = now.AddHours(-1);
        var maxAttempts = _smtp.Value.RetryDelays()!.Count + 1;
        var lost = await _db.Emails
            .Where(e => e.SentUtc == null && (e.LeaseUntilUtc == null || e.LeaseUntilUtc < now) && e.Attempts < maxAttempts
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
