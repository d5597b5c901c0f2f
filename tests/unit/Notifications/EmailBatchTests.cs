using System.Collections.Concurrent;
using ChaosModular.Notifications.Contracts;
using ChaosModular.Notifications.Data;
using ChaosModular.Notifications.IntegrationEventHandlers;
using ChaosModular.Notifications.Jobs;
using ChaosModular.Notifications.Sending;
using ChaosModular.Notifications.Templates;
using Hangfire;
using MimeKit;

namespace ChaosModular.UnitTests.Notifications;

/// <summary>A transport that keeps what it was given, and refuses the next message to an address when told to.</summary>
internal sealed class RecordingEmailTransport : IEmailTransport
{
    private readonly ConcurrentQueue<string> _delivered = new();
    private readonly ConcurrentDictionary<string, int> _refusals = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Delivered => _delivered;

    /// <summary>The attachments delivered to each address: file name and content.</summary>
    public ConcurrentDictionary<string, List<(string FileName, byte[] Content)>> Attachments { get; } = new(StringComparer.Ordinal);

    public void RefuseNext(string address) => _refusals[address] = 1;

    /// <summary>Called after each delivery with the address (a test stops its job there).</summary>
    public Action<string>? Delivering { get; set; }

    public IEmailSender OpenSender() => new Sender(this);

    private sealed class Sender(RecordingEmailTransport transport) : IEmailSender
    {
        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            var to = message.To.Mailboxes.Single().Address;
            if (transport._refusals.TryRemove(to, out _))
            {
                throw new IOException($"550 mailbox {to} unavailable");
            }
            transport._delivered.Enqueue(to);
            transport.Attachments[to] = [.. message.Attachments.OfType<MimePart>().Select(part =>
            {
                using var content = new MemoryStream();
                part.Content!.DecodeTo(content);
                return (part.FileName!, content.ToArray());
            })];
            transport.Delivering?.Invoke(to);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>PostgreSQL with Hangfire's storage and no server: the test runs the sending jobs itself, through a recording transport.</summary>
public sealed class EmailBatchFactory : PostgresPortalFactory
{
    public EmailBatchFactory() => TestServices = services => services
        .AddSingleton<IEmailTransport>(Transport)
        .AddSingleton<IEmailAttachmentRenderer>(Renderer);

    internal RecordingEmailTransport Transport { get; } = new();

    internal CountingRenderer Renderer { get; } = new();
}

/// <summary>An attachment renderer that makes "file for &lt;reference&gt;" and counts what it was asked for.</summary>
internal sealed class CountingRenderer : IEmailAttachmentRenderer
{
    public ConcurrentQueue<string> Asked { get; } = new();

    public string Name => "test-files";

    public Task<byte[]> RenderAsync(string reference, CancellationToken cancellationToken)
    {
        Asked.Enqueue(reference);
        return Task.FromResult(System.Text.Encoding.UTF8.GetBytes($"file for {reference}"));
    }
}

/// <summary>
/// Queuing many emails at once (a bulk invite's batch): stored once per source key, sent by one job per chunk, and a chunk
/// with a failing email sends the others and leaves the failed one to the retry.
/// </summary>
public sealed class EmailBatchTests(EmailBatchFactory factory) : IClassFixture<EmailBatchFactory>
{
    private static WelcomeEmail Welcome(string address) =>
        new(StoredEmailModel.EventSourceKey<WelcomeEmail>(Guid.NewGuid()), address, "Batch", "123456782");

    private static List<WelcomeEmail> Welcomes(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Welcome($"{prefix}-{i}-{Guid.NewGuid():N}@example.test"))];

    private async Task QueueAsync(IReadOnlyList<EmailMessage> emails)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EmailRequests>().QueueEmailsAsync(emails, CancellationToken.None);
    }

    private async Task<Dictionary<string, Guid>> StoredAsync(IEnumerable<EmailMessage> emails)
    {
        var keys = emails.Select(e => e.SourceKey).ToList();
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails.AsNoTracking()
            .Where(e => keys.Contains(e.SourceKey)).ToDictionaryAsync(e => e.SourceKey, e => e.Id);
    }

    private async Task SendBatchAsync(Guid[] ids)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EmailJobs>().SendBatchAsync(ids, CancellationToken.None);
    }

    /// <summary>The email ids of every queued sending job that holds any of <paramref name="ids"/>, a list per job.</summary>
    private List<Guid[]> QueuedSends(IReadOnlyCollection<Guid> ids)
    {
        var monitoring = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        return [.. monitoring.Queues()
            .SelectMany(q => monitoring.EnqueuedJobs(q.Name, 0, 100_000))
            .Select(j => j.Value.Job)
            .Where(j => j?.Type == typeof(EmailJobs) && j.Method.Name == nameof(EmailJobs.SendBatchAsync))
            .Select(j => (Guid[])j!.Args[0])
            .Where(batch => batch.Any(ids.Contains))];
    }

    [Fact]
    public async Task A_batch_queued_twice_stores_each_email_once_in_one_sending_job_and_sends_each_once()
    {
        var emails = Welcomes("twice", 3);

        await QueueAsync(emails);
        await QueueAsync([emails[1], emails[1]]);
        await QueueAsync(emails);

        var stored = await StoredAsync(emails);
        Assert.Equal(3, stored.Count);
        var ids = stored.Values.ToList();
        var job = Assert.Single(QueuedSends(ids));
        Assert.Equal(ids.Order(), job.Order());

        await SendBatchAsync(job);
        await SendBatchAsync(job);

        foreach (var email in emails)
        {
            Assert.Single(factory.Transport.Delivered, a => a == email.ToAddress);
        }
    }

    [Fact]
    public async Task Emails_already_stored_are_left_out_and_a_large_batch_is_sent_by_a_job_per_hundred()
    {
        var first = Welcomes("part", 20);
        await QueueAsync(first);
        var all = Welcomes("large", 230).Concat<EmailMessage>(first).ToList();

        await QueueAsync(all);

        var stored = await StoredAsync(all);
        Assert.Equal(250, stored.Count);
        var jobs = QueuedSends([.. stored.Values]);
        Assert.Equal([20, 30, 100, 100], jobs.Select(j => j.Length).Order());
        Assert.Equal(stored.Values.Order(), jobs.SelectMany(j => j).Order());
    }

    [Fact]
    public async Task A_failing_email_does_not_stop_the_batch_and_the_retry_sends_only_it()
    {
        var emails = Welcomes("flaky", 3);
        await QueueAsync(emails);
        var stored = await StoredAsync(emails);
        var ids = emails.Select(e => stored[e.SourceKey]).ToArray();
        factory.Transport.RefuseNext(emails[1].ToAddress);

        var failure = await Assert.ThrowsAsync<AggregateException>(() => SendBatchAsync(ids));

        Assert.Contains("550 mailbox", Assert.Single(failure.InnerExceptions).Message, StringComparison.Ordinal);
        Assert.Equal([true, false, true], (await RowsAsync(ids)).Select(e => e.SentUtc is not null));
        var refused = (await RowsAsync(ids))[1];
        Assert.Contains("550 mailbox", refused.LastError, StringComparison.Ordinal);
        Assert.Null(refused.LeaseUntilUtc);

        // Hangfire's retry runs the same job again.
        await SendBatchAsync(ids);

        Assert.All(await RowsAsync(ids), e => Assert.NotNull(e.SentUtc));
        Assert.Null((await RowsAsync(ids))[1].LastError);
        foreach (var email in emails)
        {
            Assert.Single(factory.Transport.Delivered, a => a == email.ToAddress);
        }
    }

    [Fact]
    public async Task An_attachment_rendered_when_sent_is_not_stored_and_a_missing_renderer_fails_only_its_email()
    {
        var emails = Welcomes("rendered", 2);
        var reference = Guid.NewGuid().ToString("N");
        var withFile = emails[0] with { Attachments = [EmailAttachment.RenderedWhenSent("file.txt", "text/plain", "test-files", reference)] };
        var withoutRenderer = emails[1] with { Attachments = [EmailAttachment.RenderedWhenSent("lost.txt", "text/plain", "nobody", "x")] };
        await QueueAsync([withFile, withoutRenderer]);
        var stored = await StoredAsync(emails);
        var ids = emails.Select(e => stored[e.SourceKey]).ToArray();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var rows = await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails.AsNoTracking().Include(e => e.Attachments)
                .Where(e => ids.Contains(e.Id)).SelectMany(e => e.Attachments).ToListAsync();
            Assert.All(rows, a => Assert.Empty(a.Content));
            Assert.Equal([("test-files", reference), ("nobody", "x")], rows.OrderBy(a => a.FileName == "lost.txt").Select(a => (a.Renderer, a.Reference)));
        }
        Assert.DoesNotContain(reference, factory.Renderer.Asked);   // nothing is made before the email is sent

        var failure = await Assert.ThrowsAsync<AggregateException>(() => SendBatchAsync(ids));

        Assert.Contains("No attachment renderer 'nobody'", Assert.Single(failure.InnerExceptions).Message, StringComparison.Ordinal);
        var (fileName, content) = Assert.Single(factory.Transport.Attachments[withFile.ToAddress]);
        Assert.Equal(("file.txt", $"file for {reference}"), (fileName, System.Text.Encoding.UTF8.GetString(content)));
        Assert.Equal([true, false], (await RowsAsync(ids)).Select(e => e.SentUtc is not null));
        Assert.Contains("No attachment renderer 'nobody'", (await RowsAsync(ids))[1].LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(withoutRenderer.ToAddress, factory.Transport.Delivered);
    }

    /// <summary>
    /// Two callers queue the same emails at once (two runs of one bulk invite): the loser's insert meets the unique source
    /// key, falls back to one email at a time, and each email is stored once and in exactly one sending job.
    /// </summary>
    [Fact]
    public async Task Callers_queuing_the_same_batch_at_once_queue_each_email_once()
    {
        for (var round = 0; round < 5; round++)
        {
            var emails = Welcomes($"race{round}", 40);
            using var start = new SemaphoreSlim(0);
            var callers = Enumerable.Range(0, 2).Select(async caller =>
            {
                await using var scope = factory.Services.CreateAsyncScope();
                var requests = scope.ServiceProvider.GetRequiredService<EmailRequests>();
                await start.WaitAsync();
                // Overlapping, not identical: each also has emails only it asks for.
                await requests.QueueEmailsAsync([.. emails.Where((_, i) => i % 4 != caller)], CancellationToken.None);
            }).ToList();
            start.Release(callers.Count);
            await Task.WhenAll(callers);

            var stored = await StoredAsync(emails);
            Assert.Equal(emails.Count, stored.Count);
            Assert.Equal(stored.Values.Order(), QueuedSends([.. stored.Values]).SelectMany(j => j).Order());
        }
    }

    /// <summary>
    /// A chunk is claimed in one statement and read back by its holder: emails another job holds (its lease still running)
    /// are neither sent nor touched, the others are sent and recorded as sent.
    /// </summary>
    [Fact]
    public async Task A_chunk_sends_only_the_emails_it_claimed_and_leaves_those_another_job_holds()
    {
        var emails = Welcomes("held", 6);
        await QueueAsync(emails);
        var stored = await StoredAsync(emails);
        var ids = emails.Select(e => stored[e.SourceKey]).ToArray();
        var otherJob = Guid.NewGuid();
        var heldUntil = DateTime.UtcNow.AddHours(1);
        var held = ids.Where((_, i) => i % 2 == 0).ToArray();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails.Where(e => held.Contains(e.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseHolder, otherJob).SetProperty(e => e.LeaseUntilUtc, heldUntil));
        }

        await SendBatchAsync(ids);

        var rows = await RowsAsync(ids);
        for (var i = 0; i < ids.Length; i++)
        {
            var isHeld = i % 2 == 0;
            Assert.Equal(isHeld ? 0 : 1, factory.Transport.Delivered.Count(a => a == emails[i].ToAddress));
            Assert.Equal(!isHeld, rows[i].SentUtc is not null);
            Assert.Equal(isHeld ? otherJob : null, rows[i].LeaseHolder);
            Assert.Equal(isHeld ? 0 : 1, rows[i].Attempts);
        }
    }

    /// <summary>
    /// A Worker stopping mid-chunk (its cancellation token fired after the third email): the three sent are recorded as
    /// sent, the rest are let go at once (no lease left to wait for), and the retry sends only them.
    /// </summary>
    [Fact]
    public async Task A_chunk_stopped_midway_records_what_it_sent_and_lets_go_of_the_rest()
    {
        var emails = Welcomes("stopped", 2 * EmailJobs.MarkEvery + 5);
        await QueueAsync(emails);
        var stored = await StoredAsync(emails);
        var ids = emails.Select(e => stored[e.SourceKey]).ToArray();
        using var stop = new CancellationTokenSource();
        var sentHere = 0;
        var mine = emails.Select(e => e.ToAddress).ToHashSet(StringComparer.Ordinal);
        factory.Transport.Delivering = to =>
        {
            if (mine.Contains(to) && ++sentHere == EmailJobs.MarkEvery + 3)
            {
                stop.Cancel();
            }
        };
        try
        {
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(
                    () => scope.ServiceProvider.GetRequiredService<EmailJobs>().SendBatchAsync(ids, stop.Token));
            }
        }
        finally
        {
            factory.Transport.Delivering = null;
        }

        var rows = await RowsAsync(ids);
        Assert.Equal(EmailJobs.MarkEvery + 3, rows.Count(e => e.SentUtc is not null));
        Assert.All(rows.Take(EmailJobs.MarkEvery + 3), e => Assert.NotNull(e.SentUtc));
        Assert.All(rows, e => Assert.Null(e.LeaseUntilUtc));
        Assert.All(rows, e => Assert.Null(e.LeaseHolder));

        await SendBatchAsync(ids);

        Assert.All(await RowsAsync(ids), e => Assert.NotNull(e.SentUtc));
        foreach (var email in emails)
        {
            Assert.Single(factory.Transport.Delivered, a => a == email.ToAddress);
        }
    }

    private async Task<List<ChaosModular.Notifications.Domain.Email>> RowsAsync(Guid[] ids)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails.AsNoTracking().Where(e => ids.Contains(e.Id)).ToListAsync();
        return [.. ids.Select(id => rows.Single(e => e.Id == id))];
    }
}
