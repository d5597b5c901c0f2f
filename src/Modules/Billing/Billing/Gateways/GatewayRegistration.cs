using ChaosModular.Billing.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ChaosModular.Modules.Infrastructure.Web;

namespace ChaosModular.Billing.Gateways;

/// <summary>
/// Chooses the payment gateway: Stripe when <c>Stripe:SecretKey</c> is set, otherwise Simulated. Outside Development
/// the Simulated gateway must be asked for by name (<c>Billing:Gateway=Simulated</c>): a production host that merely
/// lost its key must not start approving test cards.
/// </summary>
internal static class GatewayRegistration
{
    public static IServiceCollection AddPaymentGateway(this IServiceCollection services, IConfiguration configuration)
    {
        var stripe = configuration.GetSection(StripeOptions.Section);
        services.AddOptions<StripeOptions>().Bind(stripe).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StripeOptions>, StripeOptionsValidator>();
        var stripeEnabled = !string.IsNullOrWhiteSpace(stripe[nameof(StripeOptions.SecretKey)]);
        services.AddOptions<GatewayChoice>()
            .Configure(o =>
            {
                o.Gateway = configuration[GatewayChoice.Key] ?? "";
                o.StripeKeySet = stripeEnabled;
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayChoice>, GatewayChoiceValidator>();
        if (stripeEnabled)
        {
            // Cards are typed into Stripe's fields in the browser; the server charges the saved payment methods.
            services.AddSingleton<StripeGateway>();
            services.AddSingleton<IPaymentGateway>(sp => sp.GetRequiredService<StripeGateway>());
            services.AddSingleton<IBrowserCardEntry>(sp => sp.GetRequiredService<StripeGateway>());
            services.AddSingleton(StripeSources(stripe));
        }
        else
        {
            services.AddSingleton<SimulatedGateway>();
            services.AddSingleton<IPaymentGateway>(sp => sp.GetRequiredService<SimulatedGateway>());
            services.AddSingleton<IServerCardEntry>(sp => sp.GetRequiredService<SimulatedGateway>());
        }
        services.AddSingleton(new PaymentGatewayMode(Simulated: !stripeEnabled));
        return services;
    }

    /// <summary>
    /// What Stripe.js needs in the browser: its script, its frames (the card fields, 3-D Secure on hooks.stripe.com) and
    /// Stripe's API. With a local stand-in (tests) its script's origin is also the API it calls.
    /// </summary>
    private static ThirdPartySources StripeSources(IConfiguration stripe)
    {
        var script = Uri.TryCreate(stripe[nameof(StripeOptions.JsUrl)], UriKind.Absolute, out var configured) ? configured : new Uri(StripeOptions.DefaultJsUrl);
        var api = Uri.TryCreate(stripe[nameof(StripeOptions.ApiBase)], UriKind.Absolute, out var apiBase) ? apiBase : new Uri("https://api.stripe.com");
        var scriptOrigin = ThirdPartySources.Origin(script);
        // Stripe's own script also loads from its subdomains (Stripe's CSP guide); a stand-in is one origin.
        string[] scripts = script.Host == "js.stripe.com" ? [scriptOrigin, "https://*.js.stripe.com"] : [scriptOrigin];
        return new ThirdPartySources(
            Scripts: scripts,
            Frames: [.. scripts, "https://hooks.stripe.com"],
            Connections: [scriptOrigin, ThirdPartySources.Origin(api)]);
    }
}

/// <summary><c>Billing:Gateway</c>: empty (Stripe with a key, Simulated without one, in Development only), <c>Stripe</c> or <c>Simulated</c>.</summary>
internal sealed class GatewayChoice
{
    public const string Key = "Billing:Gateway";
    public const string Stripe = "Stripe";
    public const string Simulated = "Simulated";

    public string Gateway { get; set; } = "";

    public bool StripeKeySet { get; set; }
}

internal sealed class GatewayChoiceValidator(IHostEnvironment environment) : IValidateOptions<GatewayChoice>
{
    public ValidateOptionsResult Validate(string? name, GatewayChoice options)
    {
        var gateway = options.Gateway.Trim();
        if (gateway.Length > 0 && gateway != GatewayChoice.Stripe && gateway != GatewayChoice.Simulated)
        {
            return ValidateOptionsResult.Fail($"{GatewayChoice.Key} is '{gateway}'; it must be Stripe, Simulated or empty.");
        }
        if (gateway == GatewayChoice.Simulated && options.StripeKeySet)
        {
            return ValidateOptionsResult.Fail($"{GatewayChoice.Key}=Simulated while Stripe:SecretKey is set: remove one of them.");
        }
        if (gateway == GatewayChoice.Stripe && !options.StripeKeySet)
        {
            return ValidateOptionsResult.Fail($"{GatewayChoice.Key}=Stripe needs Stripe:SecretKey (and Stripe:WebhookSecret).");
        }
        if (gateway.Length == 0 && !options.StripeKeySet && !environment.IsDevelopment())
        {
            return ValidateOptionsResult.Fail(
                $"Stripe:SecretKey is empty in the {environment.EnvironmentName} environment. Outside Development the Simulated gateway, " +
                $"which charges no real card, runs only when asked for: set Stripe:SecretKey and Stripe:WebhookSecret, or {GatewayChoice.Key}=Simulated for a test instance.");
        }
        return ValidateOptionsResult.Success;
    }
}
