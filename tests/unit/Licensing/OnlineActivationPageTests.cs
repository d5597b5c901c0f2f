using System.Net;
using System.Text.RegularExpressions;
using ChaosModular.Licensing.Contracts;
using ChaosModular.UnitTests.Subscriptions;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>License Servers › Activate a server online: the page makes a one-time code that a server trades for its secret.</summary>
public sealed partial class OnlineActivationPageTests(ProductsPortalFactory factory) : IClassFixture<ProductsPortalFactory>
{
    [GeneratedRegex("data-testid=\"activation-code\">([A-Z0-9-]+)<")]
    private static partial Regex ShownCode();

    [Fact]
    public async Task The_page_makes_a_code_shown_once_that_activates_one_server_which_then_leases_seats_shown_in_use()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: 3);

        var answer = await account.Customer.Client.SubmitAsync(LicensingRoutes.Servers + "?handler=ActivationCode", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var code = ShownCode().Match(await answer.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.Matches("^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$", code);
        Assert.DoesNotContain(code, await account.Customer.Client.GetPageAsync(LicensingRoutes.Servers), StringComparison.Ordinal);   // shown only once

        var server = new LicenseServerClient(factory);
        Assert.Equal(HttpStatusCode.Created, (await server.ActivateAsync(code)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await new LicenseServerClient(factory).ActivateAsync(code)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await server.LeaseAsync(licenseId)).StatusCode);

        var servers = PortalClient.Decode(await account.Customer.Client.GetPageAsync(LicensingRoutes.Servers));
        Assert.Contains("Online", servers, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"held-seats\" data-license=\"{licenseId}\" data-seats=\"1\"", servers, StringComparison.Ordinal);
        var license = PortalClient.Decode(await account.Customer.Client.GetPageAsync(LicensingRoutes.License(licenseId)));
        Assert.Contains("data-in-use=\"1\"", license, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"available-count\">2<", license, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Making_a_code_needs_the_antiforgery_token()
    {
        var account = await ServerAccount.SignUpAsync(factory);

        var forged = await account.Customer.Client.Http.PostAsync(new Uri(LicensingRoutes.Servers + "?handler=ActivationCode", UriKind.Relative), new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }
}
