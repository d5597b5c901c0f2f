using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChaosModular.Modules.Infrastructure.Hosting;

/// <summary>
/// Settings that are right on a developer's machine and wrong anywhere customers reach: the demo users (known
/// passwords) and a loopback <c>Portal:BaseUrl</c> (every email link would point at the reader's own machine).
/// Outside Development start-up refuses them unless <c>Hosting:LocalInstance=true</c> says this instance serves only
/// the machine it runs on (the tests and the benchmark do).
/// </summary>
public sealed class HostingOptions
{
    public const string Section = "Hosting";

    /// <summary><c>Hosting:LocalInstance</c>: this instance serves only its own machine, so demo data and a loopback base URL are allowed.</summary>
    public bool LocalInstance { get; set; }

    /// <summary>From <c>Seed:Demo</c>.</summary>
    public bool SeedDemo { get; set; }

    /// <summary>From <c>Portal:BaseUrl</c>.</summary>
    public string PortalBaseUrl { get; set; } = "";

    /// <summary>
    /// Cookies marked Secure only when the request was https: in Development and on a local instance (plain http on
    /// loopback). Elsewhere they are always Secure, and the antiforgery system refuses to run on an http request, so a
    /// proxy that ends TLS must be listed in Web:ForwardedHeaders.
    /// </summary>
    public bool CookiesFollowRequest(IHostEnvironment environment) => environment.IsDevelopment() || LocalInstance;

    public static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.IsLoopback
            || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))));
}

internal sealed class HostingOptionsValidator(IHostEnvironment environment) : IValidateOptions<HostingOptions>
{
    public ValidateOptionsResult Validate(string? name, HostingOptions options)
    {
        if (environment.IsDevelopment() || options.LocalInstance)
        {
            return ValidateOptionsResult.Success;
        }
        var failures = new List<string>();
        if (options.SeedDemo)
        {
            failures.Add($"Seed:Demo=true in the {environment.EnvironmentName} environment: the demo users have published passwords. Turn it off, or set Hosting:LocalInstance=true for an instance only this machine reaches.");
        }
        if (HostingOptions.IsLoopback(options.PortalBaseUrl))
        {
            failures.Add($"Portal:BaseUrl '{options.PortalBaseUrl}' is a loopback address in the {environment.EnvironmentName} environment: email links would point at the reader's own machine. Set the portal's public address, or Hosting:LocalInstance=true for an instance only this machine reaches.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
