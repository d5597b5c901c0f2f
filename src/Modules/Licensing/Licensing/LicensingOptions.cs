using Microsoft.Extensions.Options;

namespace ChaosModular.Licensing;

/// <summary>The <c>Licensing</c> section.</summary>
public sealed class LicensingOptions
{
    public const string Section = "Licensing";

    /// <summary>The vendor's article on setting up the License Server application, linked from the Licensing pages.</summary>
    public string ServerSetupUrl { get; set; } = "https://docs.chaos.com/display/LIC5/Setting+up+a+License+Server";
}

internal sealed class LicensingOptionsValidator : IValidateOptions<LicensingOptions>
{
    public ValidateOptionsResult Validate(string? name, LicensingOptions options) =>
        Uri.TryCreate(options.ServerSetupUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Licensing:ServerSetupUrl must be an absolute http(s) address, not '{options.ServerSetupUrl}'.");
}
