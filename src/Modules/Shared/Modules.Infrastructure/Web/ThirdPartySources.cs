namespace ChaosModular.Modules.Infrastructure.Web;

/// <summary>
/// Sources outside this site that a module's pages need in the browser (a payment provider's script, its frames and
/// the API its script calls), written as Content-Security-Policy sources (<c>https://js.stripe.com</c>). A module
/// registers one as a singleton; the host adds every registered source to its policy's <c>script-src</c>,
/// <c>frame-src</c> and <c>connect-src</c>, and allows nothing else from outside.
/// </summary>
public sealed record ThirdPartySources(IReadOnlyList<string> Scripts, IReadOnlyList<string> Frames, IReadOnlyList<string> Connections)
{
    /// <summary>The origin (scheme, host, port) of an address, as a CSP source: <c>https://js.stripe.com</c>.</summary>
    public static string Origin(Uri address) => address.GetLeftPart(UriPartial.Authority);
}
