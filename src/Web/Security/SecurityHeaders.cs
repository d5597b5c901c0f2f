using ChaosModular.Modules.Infrastructure.Web;

namespace ChaosModular.Web.Security;

/// <summary>
/// The headers every response carries: a Content-Security-Policy that allows no inline script or style (the pages'
/// behaviour is in wwwroot/js/site.js, their sizes in wwwroot/css/site.css), no MIME sniffing, no framing, a short
/// referrer. Hangfire's dashboard (/hangfire, Support only) writes inline scripts and styles it does not let us
/// change, so it alone gets a policy that allows them. A signed-in user's responses are never stored by a browser or
/// proxy cache (they show personal and card data); static files are served before authentication and keep theirs.
/// Modules that need an outside origin in the browser (Billing's Stripe.js with Stripe configured) register
/// <see cref="ThirdPartySources"/>, added to <c>script-src</c>, <c>frame-src</c> and <c>connect-src</c>.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; " +
        "form-action 'self'; base-uri 'self'; object-src 'none'";

    public const string DashboardContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

    public const string DashboardPath = "/hangfire";

    /// <summary>The policy with the modules' outside sources; without any it is <see cref="ContentSecurityPolicy"/>.</summary>
    public static string PolicyWith(IEnumerable<ThirdPartySources> sources)
    {
        var all = sources.ToList();
        if (all.Count == 0)
        {
            return ContentSecurityPolicy;
        }
        static string Join(IEnumerable<string> extra) => string.Join(' ', extra.Prepend("'self'").Distinct(StringComparer.Ordinal));
        return $"default-src 'self'; script-src {Join(all.SelectMany(s => s.Scripts))}; style-src 'self'; img-src 'self' data:; " +
               $"frame-src {Join(all.SelectMany(s => s.Frames))}; connect-src {Join(all.SelectMany(s => s.Connections))}; frame-ancestors 'none'; " +
               "form-action 'self'; base-uri 'self'; object-src 'none'";
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var pagePolicy = PolicyWith(app.ApplicationServices.GetServices<ThirdPartySources>());
        return app.Use((context, next) =>
        {
            // Decided here: the dashboard moves its prefix into PathBase before the response starts.
            var policy = context.Request.Path.StartsWithSegments(DashboardPath) ? DashboardContentSecurityPolicy : pagePolicy;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                if (context.User.Identity?.IsAuthenticated == true)
                {
                    headers.CacheControl = "no-store";
                    headers.Pragma = "no-cache";
                }
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
