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

    /// <summary>
    /// Seconds before each retry of a failed send (SMTP down), comma-separated: ten retries over about a day; the
    /// 5-minute sweep re-enqueues a lost job only while these attempts are left. Tests shorten the first.
    /// </summary>
    public string RetryDelaysSeconds { get; set; } = "10,60,300,900,1800,3600,7200,14400,28800,43200";

    /// <summary><see cref="RetryDelaysSeconds"/> as numbers; null when it is not a list of 1–20 whole seconds, each 1–86400.</summary>
    public IReadOnlyList<int>? RetryDelays()
    {
        var parts = RetryDelaysSeconds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var delays = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 86400)
            {
                return null;
            }
            delays.Add(seconds);
        }
        return delays.Count is >= 1 and <= 20 ? delays : null;
    }
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
        if (options.RetryDelays() is null)
        {
            failures.Add($"Smtp:RetryDelaysSeconds '{options.RetryDelaysSeconds}' must be 1 to 20 comma-separated whole seconds, each 1-86400 (for example '10,60,300').");
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
