using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ChaosModular.Notifications.Sending;

/// <summary>
/// The <c>Smtp</c> section. With no Host, emails are written as .eml files to <see cref="PickupDirectory"/>; outside
/// Development only when that is asked for by name (<see cref="Delivery"/> = <c>Pickup</c>), so a production host
/// that lost its SMTP settings does not quietly keep its customers' emails on disk.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";
    public const string PickupDelivery = "Pickup";

    /// <summary>
    /// <c>Pickup</c> asks for the pickup directory when <see cref="Host"/> is empty, which outside Development is refused
    /// otherwise. A set Host always sends over SMTP.
    /// </summary>
    public string? Delivery { get; set; }

    public bool UsesPickupDirectory => string.IsNullOrWhiteSpace(Host);

    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string Security { get; set; } = nameof(SecureSocketOptions.Auto);
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "ChaosModular <no-reply@chaosmodular.local>";
    public int TimeoutSeconds { get; set; } = 30;
    public string PickupDirectory { get; set; } = "App_Data/mail";
}

internal sealed class SmtpOptionsValidator(IHostEnvironment environment) : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        var failures = new List<string>();
        var pickupAskedFor = string.Equals(options.Delivery, SmtpOptions.PickupDelivery, StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(options.Delivery) && !pickupAskedFor)
        {
            failures.Add($"Smtp:Delivery is '{options.Delivery}'; it must be Pickup (with no Smtp:Host, write .eml files to Smtp:PickupDirectory) or empty.");
        }
        if (string.IsNullOrWhiteSpace(options.Host) && !pickupAskedFor && !environment.IsDevelopment())
        {
            failures.Add($"Smtp:Host is empty in the {environment.EnvironmentName} environment: set it, or Smtp:Delivery=Pickup to write emails as .eml files to Smtp:PickupDirectory instead of sending them.");
        }
        if (!MailboxAddress.TryParse(options.From, out _))
        {
            failures.Add($"Smtp:From '{options.From}' is not an email address (for example 'ChaosModular <no-reply@example.com>').");
        }
        if (!options.UsesPickupDirectory)
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
