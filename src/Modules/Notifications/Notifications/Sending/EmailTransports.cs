using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ChaosModular.Notifications.Sending;

internal interface IEmailTransport
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>Chooses SMTP when <c>Smtp:Host</c> is set, else the pickup directory.</summary>
internal sealed class ConfiguredEmailTransport(IOptions<SmtpOptions> options, IHostEnvironment environment) : IEmailTransport
{
    public Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var smtp = options.Value;
        return string.IsNullOrWhiteSpace(smtp.Host)
            ? WriteToPickupDirectoryAsync(message, Path.Combine(environment.ContentRootPath, smtp.PickupDirectory), cancellationToken)
            : SendOverSmtpAsync(message, smtp, cancellationToken);
    }

    private static async Task SendOverSmtpAsync(MimeMessage message, SmtpOptions smtp, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        await client.ConnectAsync(smtp.Host!, smtp.Port, Enum.Parse<SecureSocketOptions>(smtp.Security, true), cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
        }
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    private static async Task WriteToPickupDirectoryAsync(MimeMessage message, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{(message.MessageId ?? Guid.NewGuid().ToString("N")).Split('@')[0]}.eml");
        // Written aside and renamed: whoever watches the folder (a mail viewer, the tests) never reads half a message.
        var partial = file + ".part";
        await message.WriteToAsync(partial, cancellationToken);
        File.Move(partial, file, overwrite: true);
    }
}
