using Microsoft.Extensions.Options;

namespace ChaosModular.Subscriptions;

/// <summary><c>Subscriptions</c> in configuration.</summary>
public sealed class SubscriptionsOptions
{
    public const string Section = "Subscriptions";

    /// <summary>The vendor's full downloads page, offered next to a product's own builds (the guide's "Chaos Downloads page").</summary>
    public string VendorDownloadsUrl { get; set; } = "https://download.chaos.com/";
}

internal sealed class SubscriptionsOptionsValidator : IValidateOptions<SubscriptionsOptions>
{
    public ValidateOptionsResult Validate(string? name, SubscriptionsOptions options) =>
        Uri.TryCreate(options.VendorDownloadsUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Subscriptions:VendorDownloadsUrl '{options.VendorDownloadsUrl}' must be an absolute http(s) URL.");
}
