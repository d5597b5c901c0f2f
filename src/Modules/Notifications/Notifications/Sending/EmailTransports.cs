using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ChaosModular.Notifications.Sending;

internal interface IEmailTransport
{
    /// <summary>A sender for several messages in a row (a batch job's): over SMTP they share one connection.</summary>
    IEmailSender OpenSender();
}

internal interface IEmailSender : IAsyncDisposable
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>Chooses SMTP when <c>Smtp:Host</c> is set, else the pickup directory.</summary>
internal sealed class ConfiguredEmailTransport(IOptions<SmtpOptions> options, IHostEnvironment environment) : IEmailTransport
{
    public IEmailSender OpenSender()
    {
        var smtp = options.Value;
        return smtp.UsesPickupDirectory
            ? new PickupDirectorySender(Path.Combine(environment.ContentRootPath, smtp.PickupDirectory))
            : new SmtpSender(smtp);
    }

    /// <summary>Connects on the first message and keeps the connection for the next; after a failure the next message connects anew.</summary>
    private sealed class SmtpSender(SmtpOptions smtp) : IEmailSender
    {
        private SmtpClient? _client;

        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            try
            {
                if (_client is null)
                {
                    _client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
                    await _client.ConnectAsync(smtp.Host!, smtp.Port, Enum.Parse<SecureSocketOptions>(smtp.Security, true), cancellationToken);
                    if (!string.IsNullOrEmpty(smtp.Username))
                    {
                        await _client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
                    }
                }
                await _client.SendAsync(message, cancellationToken);
            }
            catch
            {
                _client?.Dispose();
                _client = null;
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_client is null)
            {
                return;
            }
            try
            {
                if (_client.IsConnected)
                {
                    await _client.DisconnectAsync(quit: true, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is IOException or SmtpProtocolException or SmtpCommandException or OperationCanceledException)
            {
                // The messages were sent; a QUIT the server did not answer changes nothing.
            }
            finally
            {
                _client.Dispose();
                _client = null;
            }
        }
    }

    private sealed class PickupDirectorySender(string directory) : IEmailSender
    {
        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(directory);
            var file = Path.Combine(directory, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{(message.MessageId ?? Guid.NewGuid().ToString("N")).Split('@')[0]}.eml");
            // Written aside and renamed: whoever watches the folder (a mail viewer, the tests) never reads half a message.
            var partial = file + ".part";
            await message.WriteToAsync(partial, cancellationToken);
            File.Move(partial, file, overwrite: true);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
