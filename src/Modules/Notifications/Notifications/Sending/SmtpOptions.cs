using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ChaosModular.Notifications.Sending;

/// <summary>The <c>Smtp</c> section. With no Host, emails are written as .eml files to <see cref="PickupDirectory"/>.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string Security { get; set; } = nameof(SecureSocketOptions.Auto);
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "ChaosModular <no-reply@chaosmodular.local>";
    public int TimeoutSeconds { get; set; } = 30;
    public string PickupDirectory { get; set; } = "App_Data/mail";
}

internal sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        var failures = new List<string>();
        if (!MailboxAddress.TryParse(options.From, out _))
        {
            failures.Add($"Smtp:From '{options.From}' is not an email address (for example 'ChaosModular <no-reply@example.com>').");
        }
        if (!string.IsNullOrWhiteSpace(options.Host))
        {
            if (options.Port is < 1 or > 65535)
            {
                failures.Add($"Smtp:Port {options.Port} is not a TCP port (1-65535).");
            }
            if (!Enum.TryParse<SecureSocketOptions>(options.Security, true, out _))
            {
                failures.Add($"Smtp:Security '{options.Security}' must be one of None, Auto, SslOnConnect, StartTls, StartTlsWhenAvailable.");
            }
            if (string.IsNullOrEmpty(options.Username) != string.IsNullOrEmpty(options.Password))
            {
                failures.Add("Smtp:Username and Smtp:Password are set together or not at all.");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.PickupDirectory))
        {
            failures.Add("Smtp:PickupDirectory is empty; with no Smtp:Host, emails are written there.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
