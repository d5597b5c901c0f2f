using Microsoft.Extensions.Options;

namespace ChaosModular.Billing.Gateways;

/// <summary>
/// The <c>Stripe</c> section. With no <see cref="SecretKey"/> the Simulated gateway is used and the
/// rest is ignored; with one, Stripe takes the cards and payments and the webhook is served.
/// </summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    /// <summary>The secret (<c>sk_…</c>) or restricted (<c>rk_…</c>) API key.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The webhook endpoint's signing secret (<c>whsec_…</c>) that verifies <c>POST /billing/stripe/webhook</c>.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Another API address, for a local fake in tests (for example <c>http://127.0.0.1:12111</c>); empty means Stripe's own.</summary>
    public string? ApiBase { get; set; }

    /// <summary>
    /// The publishable key (<c>pk_…</c>) Stripe.js uses in the browser, where customers type their card into Stripe's
    /// own fields; required with a secret key.
    /// </summary>
    public string? PublishableKey { get; set; }

    /// <summary>
    /// Where pages load Stripe.js from: Stripe's own address by default; a local stand-in in tests. The page's
    /// Content-Security-Policy allows this address's origin (script, frames, requests) and the API's.
    /// </summary>
    public string JsUrl { get; set; } = DefaultJsUrl;

    public const string DefaultJsUrl = "https://js.stripe.com/v3/";

    public bool Enabled => !string.IsNullOrWhiteSpace(SecretKey);
}

internal sealed class StripeOptionsValidator : IValidateOptions<StripeOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        var failures = new List<string>();
        // The key itself is never echoed: start-up errors end up in logs.
        if (!options.SecretKey!.StartsWith("sk_", StringComparison.Ordinal) && !options.SecretKey.StartsWith("rk_", StringComparison.Ordinal))
        {
            failures.Add("Stripe:SecretKey must be a secret (sk_...) or restricted (rk_...) API key.");
        }
        if (options.SecretKey.Any(char.IsWhiteSpace))
        {
            failures.Add("Stripe:SecretKey contains white space.");
        }
        if (string.IsNullOrWhiteSpace(options.WebhookSecret))
        {
            failures.Add("Stripe:WebhookSecret is required when Stripe:SecretKey is set: it is the signing secret (whsec_...) of the endpoint /billing/stripe/webhook, which completes payments left pending.");
        }
        else if (!options.WebhookSecret.StartsWith("whsec_", StringComparison.Ordinal))
        {
            failures.Add("Stripe:WebhookSecret must be a webhook signing secret (whsec_...).");
        }
        if (string.IsNullOrWhiteSpace(options.PublishableKey))
        {
            failures.Add("Stripe:PublishableKey is required when Stripe:SecretKey is set: cards are typed into Stripe.js's fields in the browser, which need it (pk_...).");
        }
        else if (!options.PublishableKey.StartsWith("pk_", StringComparison.Ordinal) || options.PublishableKey.Any(char.IsWhiteSpace))
        {
            failures.Add("Stripe:PublishableKey must be a publishable key (pk_...).");
        }
        if (!Uri.TryCreate(options.JsUrl, UriKind.Absolute, out var jsUrl) || (jsUrl.Scheme != Uri.UriSchemeHttps && jsUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"Stripe:JsUrl '{options.JsUrl}' must be an absolute http(s) URL (Stripe's own is {StripeOptions.DefaultJsUrl}).");
        }
        if (!string.IsNullOrWhiteSpace(options.ApiBase)
            && (!Uri.TryCreate(options.ApiBase, UriKind.Absolute, out var apiBase) || (apiBase.Scheme != Uri.UriSchemeHttps && apiBase.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"Stripe:ApiBase '{options.ApiBase}' must be an absolute http(s) URL, or empty for Stripe's own API.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
