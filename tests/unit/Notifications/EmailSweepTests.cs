using ChaosModular.Notifications.Data;
using ChaosModular.Notifications.Domain;
using ChaosModular.Notifications.IntegrationEventHandlers;
using ChaosModular.Notifications.Jobs;
using ChaosModular.Notifications.Sending;
using ChaosModular.Notifications.Templates;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Notifications;

/// <summary>PostgreSQL with Hangfire's storage and no server, a clock the test moves and a recording transport: the test runs the jobs.</summary>
public sealed class EmailSweepFactory : PostgresPortalFactory
{
    public EmailSweepFactory()
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero));
        TestServices = services => services.AddSingleton<IEmailTransport>(Transport);
        With("Smtp:RetryDelaysSeconds", "1,1");   // three attempts in all
    }

    internal RecordingEmailTransport Transport { get; } = new();
}

/// <summary>
/// The guide's email promises around lost and failed sends: the 5-minute sweep re-enqueues an email whose job was lost,
/// a send claim is taken over once it expires, and after the last retry the email row keeps the error.
/// </summary>
public sealed class EmailSweepTests(EmailSweepFactory factory) : IClassFixture<EmailSweepFactory>
{
    /// <summary>A queue that loses every job given to it (an in-memory queue at a restart, a crash right after the commit).</summary>
    private sealed class LosingJobClient : IBackgroundJobClient
    {
        public string Create(Job job, IState state) => "lost";

        public bool ChangeState(string jobId, IState state, string expectedState) => false;
    }

    private FakeTimeProvider Clock => factory.Clock!;

    private static WelcomeEmail Welcome() =>
        new(StoredEmailModel.EventSourceKey<WelcomeEmail>(Guid.NewGuid()), $"sweep-{Guid.NewGuid():N}@example.test", "Swept", "123456782");

    /// <summary>Stores the email; its sending job is queued normally, or lost.</summary>
    private async Task<Guid> StoreAsync(WelcomeEmail email, bool loseTheJob)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var requests = loseTheJob
            ? ActivatorUtilities.CreateInstance<EmailRequests>(scope.ServiceProvider, new LosingJobClient())
            : scope.ServiceProvider.GetRequiredService<EmailRequests>();
        await requests.QueueEmailAsync(email, CancellationToken.None);
        return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails.Where(e => e.SourceKey == email.SourceKey).Select(e => e.Id).SingleAsync();
    }

    private async Task<Email> RowAsync(Guid id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails.AsNoTracking().SingleAsync(e => e.Id == id);
    }

    private async Task SweepAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EmailJobs>().SweepAsync(CancellationToken.None);
    }

    private async Task SendAsync(Guid id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EmailJobs>().SendBatchAsync([id], CancellationToken.None);
    }

    /// <summary>The queued sending jobs that hold <paramref name="id"/>.</summary>
    private int QueuedSends(Guid id)
    {
        var monitoring = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        return monitoring.Queues()
            .SelectMany(q => monitoring.EnqueuedJobs(q.Name, 0, 100_000))
            .Select(j => j.Value.Job)
            .Count(j => j?.Type == typeof(EmailJobs) && j.Method.Name == nameof(EmailJobs.SendBatchAsync) && ((Guid[])j.Args[0]).Contains(id));
    }

    [Fact]
    public async Task An_email_whose_sending_job_was_lost_is_queued_again_by_the_sweep_after_five_minutes_and_sent_once()
    {
        var email = Welcome();
        var id = await StoreAsync(email, loseTheJob: true);
        Assert.Equal(0, QueuedSends(id));

        Clock.Advance(TimeSpan.FromMinutes(4));
        await SweepAsync();
        Assert.Equal(0, QueuedSends(id));   // its job may still be on its way

        Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await SweepAsync();
        Assert.Equal(1, QueuedSends(id));
        await SendAsync(id);

        Assert.Single(factory.Transport.Delivered, a => a == email.ToAddress);
        Assert.NotNull((await RowAsync(id)).SentUtc);
        Clock.Advance(TimeSpan.FromHours(2));
        await SweepAsync();
        Assert.Equal(1, QueuedSends(id));   // sent: the sweep leaves it alone
    }

    [Fact]
    public async Task A_send_claim_is_respected_for_five_minutes_then_taken_over_from_a_sender_that_died()
    {
        var email = Welcome();
        var id = await StoreAsync(email, loseTheJob: true);
        using var hung = new ManualResetEventSlim();
        using var gone = new ManualResetEventSlim();
        // The first sender hands the message to the SMTP server, then never gets to record it (its process is gone).
        factory.Transport.Delivering = address =>
        {
            if (address == email.ToAddress && !hung.IsSet)
            {
                hung.Set();
                gone.Wait();
            }
        };
        var dead = Task.Run(() => SendAsync(id));
        Assert.True(hung.Wait(TimeSpan.FromSeconds(30)), "the first sender to deliver");
        try
        {
            var held = await RowAsync(id);
            Assert.Equal((1, (DateTime?)null), (held.Attempts, held.SentUtc));

            Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
            await SendAsync(id);   // a duplicate job while the claim runs: leaves it
            Assert.Single(factory.Transport.Delivered, a => a == email.ToAddress);

            Clock.Advance(TimeSpan.FromSeconds(2));
            await SendAsync(id);   // the claim expired: taken over and sent again (at least once)
            Assert.Equal(2, factory.Transport.Delivered.Count(a => a == email.ToAddress));
            var sent = await RowAsync(id);
            Assert.Equal(2, sent.Attempts);
            Assert.NotNull(sent.SentUtc);
        }
        finally
        {
            gone.Set();
            factory.Transport.Delivering = null;
        }
        await dead;   // the old sender coming back records nothing over the new holder's work
        Assert.Equal(2, factory.Transport.Delivered.Count(a => a == email.ToAddress));
    }

    [Fact]
    public async Task The_sweep_brings_back_a_lost_retry_but_not_after_the_last_configured_attempt_and_the_row_keeps_the_error()
    {
        var email = Welcome();
        var id = await StoreAsync(email, loseTheJob: true);
        async Task FailAsync()
        {
            factory.Transport.RefuseNext(email.ToAddress);
            await Assert.ThrowsAsync<IOException>(() => SendAsync(id));
        }
        await FailAsync();
        await FailAsync();

        // Its last retry was lost: with one of the three configured attempts left, the sweep queues it after an hour.
        Clock.Advance(TimeSpan.FromMinutes(61));
        await SweepAsync();
        Assert.Equal(1, QueuedSends(id));
        await FailAsync();

        Clock.Advance(TimeSpan.FromHours(2));
        await SweepAsync();

        Assert.Equal(1, QueuedSends(id));   // no new job: Smtp:RetryDelaysSeconds "1,1" allows three attempts
        var failed = await RowAsync(id);
        Assert.Equal((3, (DateTime?)null), (failed.Attempts, failed.SentUtc));
        Assert.Equal($"550 mailbox {email.ToAddress} unavailable", failed.LastError);
        Assert.DoesNotContain(email.ToAddress, factory.Transport.Delivered);
    }
}

/// <summary>The guide's email retries through the real job server: SMTP stays down, Hangfire gives up after the configured retries.</summary>
public sealed class EmailLastRetryTests
{
    [Fact]
    public async Task After_the_last_configured_retry_the_job_stays_failed_and_the_email_row_keeps_the_last_error()
    {
        var closedPort = Eventually.FreeTcpPort();   // nothing listens: SMTP is down throughout
        await using var factory = new SqlitePortalFactory();
        factory.With("Smtp:Host", "127.0.0.1").With("Smtp:Port", closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture)).With("Smtp:Security", "None")
            .With("Smtp:RetryDelaysSeconds", "1,1");
        var email = new WelcomeEmail(StoredEmailModel.EventSourceKey<WelcomeEmail>(Guid.NewGuid()), $"down-{Guid.NewGuid():N}@example.test", "Down", "123456782");
        Guid id;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<EmailRequests>().QueueEmailAsync(email, CancellationToken.None);
            id = await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails.Where(e => e.SourceKey == email.SourceKey).Select(e => e.Id).SingleAsync();
        }

        var monitoring = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var failed = await Eventually.Until(
            () => Task.FromResult(monitoring.FailedJobs(0, 1000).Select(j => j.Value)
                .FirstOrDefault(j => j.Job?.Method.Name == nameof(EmailJobs.SendBatchAsync) && ((Guid[])j.Job.Args[0]).Contains(id))),
            TimeSpan.FromSeconds(60), "the sending job to fail for good after its retries");

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var row = await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails.AsNoTracking().SingleAsync(e => e.Id == id);
            Assert.Equal((3, (DateTime?)null), (row.Attempts, row.SentUtc));   // the first try and the two configured retries
            Assert.False(string.IsNullOrWhiteSpace(row.LastError));
            Assert.Equal(Email.ErrorText(failed.ExceptionMessage), row.LastError);   // what the dashboard shows for the failed job
        }
    }
}
