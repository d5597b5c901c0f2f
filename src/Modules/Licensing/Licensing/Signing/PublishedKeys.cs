using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ChaosModular.Licensing.Signing;

/// <summary>
/// The portal's public keys as a JSON Web Key Set, so a license server verifies response and borrow files offline
/// with nothing but this document. Anonymous and cacheable: it holds only public keys.
/// </summary>
internal static class PublishedKeys
{
    public const string Route = "/.well-known/chaos-license-keys.json";

    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Route, (SigningKeyRing ring, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Json(SignedFiles.KeySet(ring.Keys, ring.Active.Id));
        }).AllowAnonymous().ExcludeFromDescription();
}
