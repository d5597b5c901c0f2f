using System.Net;
using ChaosModular.Modules.Infrastructure.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ChaosModular.Web.Security;

/// <summary>
/// HTTPS outside Development: cookies marked Secure (Accounts marks its sign-in cookie; a local instance, plain http on
/// loopback, is exempt by <c>Hosting:LocalInstance</c>), HSTS and a redirect to https,
/// with the scheme and client address taken from <c>X-Forwarded-*</c> only when a configured proxy sends them.
/// </summary>
internal static class TransportSecurity
{
    public const string ForwardedHeadersSection = "Web:ForwardedHeaders";

    public static WebApplicationBuilder AddTransportSecurity(this WebApplicationBuilder builder)
    {
        var hosting = builder.Configuration.GetSection(HostingOptions.Section).Get<HostingOptions>() ?? new HostingOptions();
        var secure = hosting.CookiesFollowRequest(builder.Environment) ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = secure);
        builder.Services.Configure<CookieTempDataProviderOptions>(o => o.Cookie.SecurePolicy = secure);
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });

        builder.Services.AddOptions<ForwardedProxies>()
            .Bind(builder.Configuration.GetSection(ForwardedHeadersSection))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ForwardedProxies>, ForwardedProxiesValidator>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedProxies>>((o, proxies) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            var configured = proxies.Value;
            // Nothing configured: the framework's default, a proxy on this machine (loopback) only.
            if (configured.KnownProxies.Count == 0 && configured.KnownNetworks.Count == 0)
            {
                return;
            }
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in configured.KnownProxies)
            {
                if (IPAddress.TryParse(proxy, out var address))
                {
                    o.KnownProxies.Add(address);
                }
            }
            foreach (var network in configured.KnownNetworks)
            {
                if (System.Net.IPNetwork.TryParse(network, out var parsed))
                {
                    o.KnownIPNetworks.Add(parsed);
                }
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline: the forwarded scheme and address, then HSTS and the https redirect outside Development.</summary>
    public static WebApplication UseTransportSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        return app;
    }
}

/// <summary><c>Web:ForwardedHeaders</c>: the reverse proxies (addresses) and proxy networks (CIDR) whose <c>X-Forwarded-*</c> headers are believed.</summary>
internal sealed class ForwardedProxies
{
    public List<string> KnownProxies { get; set; } = [];

    public List<string> KnownNetworks { get; set; } = [];
}

internal sealed class ForwardedProxiesValidator : IValidateOptions<ForwardedProxies>
{
    public ValidateOptionsResult Validate(string? name, ForwardedProxies options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i], out _))
            {
                failures.Add($"{TransportSecurity.ForwardedHeadersSection}:KnownProxies:{i} '{options.KnownProxies[i]}' is not an IP address.");
            }
        }
        for (var i = 0; i < options.KnownNetworks.Count; i++)
        {
            if (!System.Net.IPNetwork.TryParse(options.KnownNetworks[i], out _))
            {
                failures.Add($"{TransportSecurity.ForwardedHeadersSection}:KnownNetworks:{i} '{options.KnownNetworks[i]}' is not a network in CIDR notation (for example 10.0.0.0/8).");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
