using ChaosModular.Catalog.Contracts;
using Microsoft.Extensions.Options;

namespace ChaosModular.CloudCredits.Features;

/// <summary>Where "Start rendering" opens Chaos Cloud: the configured address, else the Catalog's cloud family's service URL.</summary>
internal sealed class StartRenderingLink(IOptions<CloudCreditsOptions> options, ICatalogApi catalog)
{
    public const string CloudFamilyCode = "cloud";

    /// <summary>Null when neither names a web address; the page then says Chaos Cloud cannot be opened from here.</summary>
    public async Task<string?> ResolveAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.StartRenderingUrl))
        {
            return options.Value.StartRenderingUrl.Trim();
        }
        var families = await catalog.FamiliesAsync(cancellationToken);
        var url = families.FirstOrDefault(f => f.Code == CloudFamilyCode)?.ServiceUrl;
        return IsWebAddress(url) ? url : null;
    }

    public static bool IsWebAddress(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
