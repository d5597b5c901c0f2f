using Microsoft.Extensions.Options;

namespace ChaosModular.CloudCredits;

/// <summary>The <c>CloudCredits</c> section.</summary>
public sealed class CloudCreditsOptions
{
    public const string Section = "CloudCredits";

    /// <summary>Where "Start rendering" goes; empty means the Catalog's Chaos Cloud address (the <c>cloud</c> family's service URL).</summary>
    public string? StartRenderingUrl { get; set; }
}

internal sealed class CloudCreditsOptionsValidator : IValidateOptions<CloudCreditsOptions>
{
    public ValidateOptionsResult Validate(string? name, CloudCreditsOptions options) =>
        string.IsNullOrWhiteSpace(options.StartRenderingUrl) || Features.StartRenderingLink.IsWebAddress(options.StartRenderingUrl)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"CloudCredits:StartRenderingUrl '{options.StartRenderingUrl}' must be an absolute http(s) URL, or empty for the Catalog's Chaos Cloud address.");
}
