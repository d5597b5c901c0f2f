using ChaosModular.Notifications.Domain;
using ChaosModular.Notifications.Templates;
using Microsoft.Extensions.Configuration;
using MimeKit;

namespace ChaosModular.UnitTests.Infrastructure;

/// <summary>
/// What a recipient finds in their inbox: the .eml files the host's pickup transport wrote (Smtp:PickupDirectory),
/// read as MIME messages, so a test checks the email a person reads (subject, the plain-text part's sentences, the
/// link) and not only the row that asked for it.
/// </summary>
public static class Mailbox
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Waits until <paramref name="address"/> has <paramref name="count"/> emails with this subject; returns them, oldest first.</summary>
    public static Task<IReadOnlyList<MimeMessage>> ReceivedAsync(PortalFactory factory, string address, string subject, int count = 1) =>
        Eventually.Until(async () =>
        {
            var received = await AllToAsync(factory, address);
            var matching = received.Where(m => m.Subject == subject).ToList();
            return matching.Count >= count ? (IReadOnlyList<MimeMessage>)matching : null;
        }, Patience, $"{count} email(s) '{subject}' to {address}");

    /// <summary>
    /// A stored email rendered as the send job renders it (subject, HTML, plain text): for hosts that run no job server
    /// (the PostgreSQL ones), whose emails wait in the table.
    /// </summary>
    internal static Task<RenderedEmail> RenderAsync(PortalFactory factory, Email row) =>
        factory.Services.GetRequiredService<EmailTemplates>()
            .RenderAsync(StoredEmailModel.Deserialize(row.Template, row.SourceKey, row.ToAddress, row.ToName, row.ModelJson));

    /// <summary>Every email written for <paramref name="address"/> so far, oldest first.</summary>
    public static async Task<IReadOnlyList<MimeMessage>> AllToAsync(PortalFactory factory, string address)
    {
        var directory = factory.Services.GetRequiredService<IConfiguration>()["Smtp:PickupDirectory"]!;
        if (!Directory.Exists(directory))
        {
            return [];
        }
        var messages = new List<MimeMessage>();
        foreach (var file in Directory.GetFiles(directory, "*.eml"))
        {
            MimeMessage message;
            try
            {
                message = await MimeMessage.LoadAsync(file);
            }
            catch (IOException)
            {
                continue;   // still being written: the next look reads it
            }
            catch (FormatException)
            {
                continue;
            }
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase)))
            {
                messages.Add(message);
            }
            else
            {
                message.Dispose();
            }
        }
        return [.. messages.OrderBy(m => m.Date)];
    }
}
