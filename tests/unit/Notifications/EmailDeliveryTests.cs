using System.Net;
using System.Text;
using ChaosModular.Notifications.Data;
using ChaosModular.Notifications.IntegrationEventHandlers;
using ChaosModular.Notifications.Jobs;
using ChaosModular.Notifications.Templates;
using MimeKit;
using netDumbster.smtp;

namespace ChaosModular.UnitTests.Notifications;

/// <summary>
/// Outbox to inbox through the real pipeline: sign-up writes the outbox row, Hangfire (in process)
/// dispatches it, Notifications stores and sends the email with MailKit to a real SMTP listener.
/// </summary>
public sealed class EmailDeliveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private static SqlitePortalFactory PortalWithSmtp(int port)
    {
        var factory = new SqlitePortalFactory();
        factory.With("Smtp:Host", "127.0.0.1").With("Smtp:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)).With("Smtp:Security", "None");
        return factory;
    }

    private static MimeMessage Parse(SmtpMessage message) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(message.Data)));

    private const string WelcomeSubject = "Welcome to ChaosModular";

    /// <summary>The welcome email to <paramref name="email"/> (a sign-up also sends the confirmation link, in its own email).</summary>
    private static Task<MimeMessage> ReceivedBy(SimpleSmtpServer smtp, string email) =>
        Eventually.Until(() => Task.FromResult(smtp.ReceivedEmail.Select(Parse).FirstOrDefault(m => m.To.Mailboxes.Any(a => a.Address == email) && m.Subject == WelcomeSubject)),
            Patience, $"the welcome email to {email}");

    [Fact]
    public async Task Signing_up_sends_the_welcome_email_with_the_customer_number()
    {
        var port = Eventually.FreeTcpPort();
        using var smtp = SimpleSmtpServer.Start(port);
        await using var factory = PortalWithSmtp(port);
        var email = $"welcome-{Guid.NewGuid():N}@example.test";

        Assert.Equal(HttpStatusCode.Redirect, (await new PortalClient(factory.CreatePortalClient()).SignUpAsync("Wanda Welcome", email, "Welcome2026x")).StatusCode);
        var message = await ReceivedBy(smtp, email);

        Assert.Equal("Welcome to ChaosModular", message.Subject);
        Assert.Equal("no-reply@chaosmodular.local", message.From.Mailboxes.Single().Address);
        var customerNumber = await CustomerNumberOf(factory, email);
        Assert.Contains(customerNumber, message.TextBody, StringComparison.Ordinal);
        Assert.Contains(customerNumber, message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Hello Wanda Welcome,", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://localhost/account", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_smtp_is_down_the_job_fails_hangfire_retries_and_the_email_arrives_once_smtp_is_up()
    {
        var port = Eventually.FreeTcpPort();
        // Retries 2 s apart instead of the production 10 s, 1 min, 5 min…: the configured schedule is what Hangfire uses
        // (its own default waits at least 16 s, longer than the wait for the retry below).
        await using var factory = PortalWithSmtp(port).With("Smtp:RetryDelaysSeconds", "2,2,2");
        var email = $"retry-{Guid.NewGuid():N}@example.test";

        await new PortalClient(factory.CreatePortalClient()).SignUpAsync("Ray Retry", email, "Retrying2026x");
        var failed = await Eventually.Until(() => EmailTo(factory, email, e => e.Attempts >= 1 && e.LastError != null), Patience, "a failed first attempt");
        Assert.Null(failed.SentUtc);

        using var smtp = SimpleSmtpServer.Start(port);
        var message = await Eventually.Until(
            () => Task.FromResult(smtp.ReceivedEmail.Select(Parse).FirstOrDefault(m => m.To.Mailboxes.Any(a => a.Address == email) && m.Subject == WelcomeSubject)),
            TimeSpan.FromSeconds(12), $"the welcome email to {email}, sent by a retry within the configured 2 s (and the schedule's poll)");

        Assert.Equal("Welcome to ChaosModular", message.Subject);
        var sent = await Eventually.Until(() => EmailTo(factory, email, e => e.SentUtc != null), Patience, "the email marked sent");
        Assert.True(sent.Attempts >= 2);
        Assert.Null(sent.LastError);
        Assert.Equal(1, smtp.ReceivedEmail.Select(Parse).Count(m => m.To.Mailboxes.Any(a => a.Address == email) && m.Subject == WelcomeSubject));
    }

    [Fact]
    public async Task The_email_jobs_retry_on_the_configured_schedule_and_no_other()
    {
        await using var factory = new SqlitePortalFactory().With("Smtp:RetryDelaysSeconds", "5, 30,120");

        var filters = factory.Services.GetRequiredService<Hangfire.Common.IJobFilterProvider>()
            .GetFilters(Hangfire.Common.Job.FromExpression<EmailJobs>(j => j.SendBatchAsync(new[] { Guid.Empty }, CancellationToken.None)))
            .Select(f => f.Instance).OfType<Hangfire.AutomaticRetryAttribute>().ToList();

        var retry = Assert.Single(filters);
        Assert.Equal(3, retry.Attempts);
        Assert.Equal([5, 30, 120], retry.DelaysInSeconds);
    }

    [Fact]
    public async Task The_same_event_handled_twice_stores_and_sends_one_email()
    {
        var port = Eventually.FreeTcpPort();
        using var smtp = SimpleSmtpServer.Start(port);
        await using var factory = PortalWithSmtp(port);
        var eventId = Guid.NewGuid();
        var email = $"twice-{Guid.NewGuid():N}@example.test";

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var requests = scope.ServiceProvider.GetRequiredService<EmailRequests>();
            var welcome = new WelcomeEmail(StoredEmailModel.EventSourceKey<WelcomeEmail>(eventId), email, "Twice", "123456782");
            await requests.QueueEmailAsync(welcome, CancellationToken.None);
            await requests.QueueEmailAsync(welcome, CancellationToken.None);
        }
        await ReceivedBy(smtp, email);
        var stored = await Eventually.Until(() => EmailTo(factory, email, e => e.SentUtc != null), Patience, "the email marked sent");

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<EmailJobs>().SendAsync(stored.Id, CancellationToken.None);
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            Assert.Equal(1, await db.Emails.CountAsync(e => e.ToAddress == email));
        }
        Assert.Equal(1, smtp.ReceivedEmail.Count(m => m.ToAddresses.Any(a => a.Address == email)));
    }

    /// <summary>A batch job sends its emails over one SMTP connection (MailKit: connect once, send many): each arrives once.</summary>
    [Fact]
    public async Task A_batch_of_emails_queued_at_once_arrives_each_once_over_smtp()
    {
        var port = Eventually.FreeTcpPort();
        using var smtp = SimpleSmtpServer.Start(port);
        await using var factory = PortalWithSmtp(port);
        var emails = Enumerable.Range(0, 5)
            .Select(i => new WelcomeEmail(StoredEmailModel.EventSourceKey<WelcomeEmail>(Guid.NewGuid()), $"batch{i}-{Guid.NewGuid():N}@example.test", $"Batch {i}", "123456782"))
            .ToList();

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<EmailRequests>().QueueEmailsAsync(emails, CancellationToken.None);
        }

        foreach (var email in emails)
        {
            Assert.Contains($"Hello {email.ToName},", (await ReceivedBy(smtp, email.ToAddress)).TextBody, StringComparison.Ordinal);
            await Eventually.Until(() => EmailTo(factory, email.ToAddress, e => e.SentUtc != null), Patience, "the email marked sent");
        }
        Assert.All(emails, email => Assert.Equal(1, smtp.ReceivedEmail.Count(m => m.ToAddresses.Any(a => a.Address == email.ToAddress))));
    }

    [Fact]
    public async Task Without_an_smtp_host_emails_are_written_as_eml_files()
    {
        var pickup = Path.Combine(Path.GetTempPath(), "chaos-pickup-" + Guid.NewGuid().ToString("N"));
        await using var factory = new SqlitePortalFactory();
        factory.With("Smtp:Host", "").With("Smtp:PickupDirectory", pickup);
        var email = $"eml-{Guid.NewGuid():N}@example.test";

        Assert.Equal(HttpStatusCode.Redirect, (await new PortalClient(factory.CreatePortalClient()).SignUpAsync("Eli Eml", email, "Pickup2026xx")).StatusCode);

        var file = await Eventually.Until(
            () => Task.FromResult(Directory.Exists(pickup)
                ? Directory.GetFiles(pickup, "*.eml").FirstOrDefault(f => File.ReadAllText(f) is var eml && eml.Contains(email, StringComparison.Ordinal) && eml.Contains($"Subject: {WelcomeSubject}", StringComparison.Ordinal))
                : null),
            Patience, "an .eml file");
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("Welcome to ChaosModular", message.Subject);
        Directory.Delete(pickup, recursive: true);
    }

    private static async Task<string> CustomerNumberOf(PortalFactory factory, string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChaosModular.Accounts.Data.AccountsDbContext>();
        return await db.Users.Where(u => u.Email == email).Select(u => u.CustomerNumber).SingleAsync();
    }

    private static async Task<ChaosModular.Notifications.Domain.Email?> EmailTo(PortalFactory factory, string email, Func<ChaosModular.Notifications.Domain.Email, bool> condition)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var row = await db.Emails.AsNoTracking().SingleOrDefaultAsync(e => e.ToAddress == email && e.Template == "welcome");
        return row is not null && condition(row) ? row : null;
    }
}
