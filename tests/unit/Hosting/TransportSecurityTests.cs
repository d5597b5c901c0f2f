using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace ChaosModular.UnitTests.Hosting;

/// <summary>Headers on every response, Secure cookies, HSTS and the https redirect, and which proxies are believed.</summary>
public sealed class TransportSecurityTests(DemoSqlitePortalFactory factory) : IClassFixture<DemoSqlitePortalFactory>
{
    [Fact]
    public async Task A_page_carries_the_security_headers_with_a_policy_that_allows_no_inline_script_or_style()
    {
        var response = await factory.CreatePortalClient().GetAsync(new Uri("/sign-in", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Header(response, "Content-Security-Policy");
        Assert.Equal(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'",
            policy);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task A_signed_in_page_is_never_stored_but_a_static_file_keeps_its_caching()
    {
        var client = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(factory.DemoEmail, factory.DemoPassword)).StatusCode);

        var page = await client.GetAsync("/billing/payment-methods");
        var file = await client.GetAsync("/css/site.css");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl?.NoStore, $"Cache-Control of a signed-in page: {page.Headers.CacheControl}");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.False(file.Headers.CacheControl?.NoStore ?? false, $"Cache-Control of a static file: {file.Headers.CacheControl}");
        Assert.NotNull(file.Content.Headers.LastModified);
        Assert.Equal("nosniff", Header(file, "X-Content-Type-Options"));
    }

    /// <summary>
    /// On an instance that is not local (so no demo users: a customer signs up) the cookies are Secure whatever the
    /// request's scheme (Always, not SameAsRequest: behind a proxy the request may arrive as http), and keep SameSite.
    /// </summary>
    [Fact]
    public async Task Outside_Development_the_sign_in_and_antiforgery_cookies_are_Secure_and_keep_SameSite()
    {
        using var production = new SqlitePortalFactory();
        production.With("Hosting:LocalInstance", "false").With("Seed:Demo", "false").With("Portal:BaseUrl", "https://portal.example.test");
        var client = new PortalClient(production.CreatePortalClient());

        var form = await client.GetAsync("/sign-up");
        var email = $"secure-{Guid.NewGuid():N}@example.test";
        await client.SignUpAsync("Ada Secure", email, "Rendering2026x");
        // Sign-up signs no one in (email confirmation): the sign-in cookie comes with Sign in.
        var signIn = await new PortalClient(production.CreatePortalClient()).SignInAsync(email, "Rendering2026x");

        var auth = production.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>>()
            .Get(Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme).Cookie;
        var antiforgery = production.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>>().Value.Cookie;
        Assert.Equal(Microsoft.AspNetCore.Http.CookieSecurePolicy.Always, auth.SecurePolicy);
        Assert.Equal(Microsoft.AspNetCore.Http.CookieSecurePolicy.Always, antiforgery.SecurePolicy);
        var antiforgeryCookie = Assert.Single(SetCookies(form), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgeryCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", antiforgeryCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var authCookie = Assert.Single(SetCookies(signIn), c => c.StartsWith("chaos.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", authCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", authCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", authCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task In_Development_the_cookies_follow_the_request_so_plain_http_on_localhost_works()
    {
        using var development = new SqlitePortalFactory { EnvironmentName = "Development" };
        var client = new PortalClient(development.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

        var form = await client.GetAsync("/sign-in");

        var antiforgery = Assert.Single(SetCookies(form), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Null(Header(form, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_jobs_dashboard_alone_gets_a_policy_that_allows_its_inline_scripts()
    {
        var client = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(factory.SupportEmail, factory.SupportPassword)).StatusCode);

        var dashboard = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var policy = Header(dashboard, "Content-Security-Policy")!;
        Assert.Contains("script-src 'self' 'unsafe-inline'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("DENY", Header(dashboard, "X-Frame-Options"));
    }

    /// <summary>
    /// A request that reached a configured proxy over https is https to the portal: HSTS, no redirect. The same headers
    /// from an address not configured are ignored: the request stays http and is redirected.
    /// </summary>
    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("10.9.9.9", false)]
    public async Task Forwarded_headers_are_believed_only_from_configured_proxies(string remoteAddress, bool believed)
    {
        using var proxied = new SqlitePortalFactory
        {
            TestServices = services => services.AddSingleton<IStartupFilter>(new RemoteAddressFilter(IPAddress.Parse(remoteAddress))),
        };
        proxied.With("Web:ForwardedHeaders:KnownProxies:0", "10.1.2.3").With("https_port", "443");
        var client = proxied.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            BaseAddress = new Uri("http://portal.example"),
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/sign-in", UriKind.Relative));
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        var response = await client.SendAsync(request);

        if (believed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("max-age=31536000", Header(response, "Strict-Transport-Security"), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
            Assert.Equal("https://portal.example/sign-in", response.Headers.Location!.ToString());
        }
    }

    [Fact]
    public void A_proxy_setting_that_is_not_an_address_stops_start_up()
    {
        using var bad = new SqlitePortalFactory();
        bad.With("Web:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33");

        var error = Assert.ThrowsAny<Exception>(() => bad.CreateClient());

        Assert.Contains("Web:ForwardedHeaders:KnownNetworks:0 '10.0.0.0/33' is not a network in CIDR notation", error.ToString(), StringComparison.Ordinal);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    /// <summary>The address the test server reports for the client (it has none of its own).</summary>
    private sealed class RemoteAddressFilter(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
