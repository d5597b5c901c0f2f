using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ChaosModular.CloudCredits;

/// <summary>The <c>CloudCredits</c> section.</summary>
public sealed class CloudCreditsOptions
{
    public const string Section = "CloudCredits";

    /// <summary>Where "Start rendering" goes; empty means the Catalog's Chaos Cloud address (the <c>cloud</c> family's service URL).</summary>
    public string? StartRenderingUrl { get; set; }

    /// <summary>
    /// <c>CloudCredits:Services:&lt;name&gt;:KeyHash</c>: the services that may call the consumption API, each with the
    /// SHA-256 (hex) of its key; the key itself is never configured here. Development and Testing add
    /// <c>rendering-dev</c> (key <c>ccs_dev_rendering_key_not_for_production</c>) unless a service of that name is configured.
    /// </summary>
    public Dictionary<string, ServiceOptions> Services { get; set; } = new(StringComparer.Ordinal);

    public ApiOptions Api { get; set; } = new();

    public sealed class ServiceOptions
    {
        public string KeyHash { get; set; } = "";
    }

    /// <summary><c>CloudCredits:Api</c>.</summary>
    public sealed class ApiOptions
    {
        /// <summary>Calls a minute per service (per address for calls without a valid key).</summary>
        public int RequestsPerMinute { get; set; } = 600;
    }
}

internal sealed partial class CloudCreditsOptionsValidator : IValidateOptions<CloudCreditsOptions>
{
    public ValidateOptionsResult Validate(string? name, CloudCreditsOptions options)
    {
        var failures = new List<string>();
        if (!(string.IsNullOrWhiteSpace(options.StartRenderingUrl) || Features.StartRenderingLink.IsWebAddress(options.StartRenderingUrl)))
        {
            failures.Add($"CloudCredits:StartRenderingUrl '{options.StartRenderingUrl}' must be an absolute http(s) URL, or empty for the Catalog's Chaos Cloud address.");
        }
        foreach (var (service, settings) in options.Services)
        {
            if (!ServiceName().IsMatch(service))
            {
                failures.Add($"CloudCredits:Services:{service}: a service name has 1–64 lower-case letters, digits, '.', '_' or '-'.");
            }
            if (!KeyHash().IsMatch(settings.KeyHash ?? ""))
            {
                failures.Add($"CloudCredits:Services:{service}:KeyHash must be the SHA-256 of the service's key as 64 hex digits (printf %s \"$KEY\" | sha256sum).");
            }
        }
        if (options.Api.RequestsPerMinute is < 1 or > 100_000)
        {
            failures.Add("CloudCredits:Api:RequestsPerMinute must be 1–100000.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z0-9._-]{1,64}$")]
    private static partial Regex ServiceName();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex KeyHash();
}
