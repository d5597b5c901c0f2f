using System.Text;
using MimeKit;
using netDumbster.smtp;

namespace ChaosModular.E2E.Harness;

/// <summary>An email as the recipient would read it.</summary>
public sealed record ReceivedEmail(IReadOnlyList<string> To, string Subject, string Text, string Html, IReadOnlyList<ReceivedAttachment> Attachments)
{
    public override string ToString() =>
        $"to {string.Join(", ", To)}: \"{Subject}\"" + (Attachments.Count == 0 ? "" : $" with {string.Join(", ", Attachments)}");
}

/// <summary>A file attached to an email, decoded.</summary>
public sealed record ReceivedAttachment(string FileName, string ContentType, byte[] Content)
{
    public override string ToString() => $"{FileName} ({ContentType}, {Content.Length} bytes)";
}

/// <summary>
/// A real SMTP server (netDumbster) inside the test process. The Worker sends to it over TCP with MailKit,
/// exactly as it would send to the production relay; tests read the messages back, parsed with MimeKit.
/// </summary>
public sealed class Mailbox : IDisposable
{
    private readonly SimpleSmtpServer _server;

    private Mailbox(SimpleSmtpServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public static Mailbox Start()
    {
        var port = FreePort.Next();
        return new Mailbox(SimpleSmtpServer.Start(port), port);
    }

    public IReadOnlyList<ReceivedEmail> All => _server.ReceivedEmail.Select(Parse).ToList();

    /// <summary>
    /// Polls (the only wait in the suite that is not Playwright's) until an email to <paramref name="to"/> with
    /// this subject arrives: it travels outbox → Hangfire → Worker → SMTP, so it takes a few seconds.
    /// </summary>
    public Task<ReceivedEmail> WaitForAsync(string to, string subject, TimeSpan? timeout = null) =>
        WaitForAsync($"email \"{subject}\" to {to}",
            m => m.Subject == subject && m.To.Contains(to, StringComparer.OrdinalIgnoreCase), timeout);

    /// <summary>Polls until an email <paramref name="matches"/>; <paramref name="description"/> names it in the timeout message.</summary>
    public async Task<ReceivedEmail> WaitForAsync(string description, Func<ReceivedEmail, bool> matches, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var match = All.FirstOrDefault(matches);
            if (match is not null)
            {
                return match;
            }
            if (DateTime.UtcNow > deadline)
            {
                var received = All;
                throw new TimeoutException(
                    $"No {description} arrived within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds:0} s. " +
                    $"Received {received.Count}: {string.Join("; ", received)}");
            }
            await Task.Delay(250);
        }
    }

    public void Dispose() => _server.Dispose();

    private static ReceivedEmail Parse(SmtpMessage message)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(message.Data));
        var mime = MimeMessage.Load(stream);
        return new ReceivedEmail(
            mime.To.Mailboxes.Select(m => m.Address).ToList(),
            mime.Subject ?? "",
            mime.TextBody ?? "",
            mime.HtmlBody ?? "",
            mime.Attachments.OfType<MimePart>().Select(Decode).ToList());
    }

    private static ReceivedAttachment Decode(MimePart part)
    {
        using var content = new MemoryStream();
        part.Content?.DecodeTo(content);
        return new ReceivedAttachment(part.FileName ?? "", part.ContentType.MimeType, content.ToArray());
    }
}
