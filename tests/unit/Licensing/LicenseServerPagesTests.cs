using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ChaosModular.Accounts.Data;
using ChaosModular.Licensing.Contracts;
using ChaosModular.Licensing.Data;
using ChaosModular.Licensing.Domain;
using ChaosModular.Licensing.Features;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.Subscriptions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>
/// Licensing › License Servers through the real pages: activating a server by uploading its request file, the signed
/// response a server checks with nothing but the published keys, refusals that change nothing, deactivation, and
/// nobody reaching another customer's servers.
/// </summary>
public sealed partial class LicenseServerPagesTests(DemoProductsPortalFactory factory) : IClassFixture<DemoProductsPortalFactory>
{
    private DateTime Now => factory.Clock!.GetUtcNow().UtcDateTime;

    private ActivationRequestBuilder Request() => new(Now.AddHours(-1));

    private static async Task<string> Page(PortalClient client, string path) => PortalClient.Decode(await client.GetPageAsync(path));

    [Fact]
    public async Task A_valid_request_file_activates_the_server_and_its_response_verifies_with_only_the_published_keys()
    {
        var demo = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await demo.SignInAsync(factory.DemoEmail, factory.DemoPassword)).StatusCode);
        var (demoId, customerNumber) = await DemoCustomerAsync();
        var licenseId = await Eventually.Until(() => factory.InLicensing(db => db.Licenses.Where(l => l.CustomerId == demoId && l.ProductCode == "vray-solo")
            .Select(l => (Guid?)l.Id).SingleOrDefaultAsync()), TimeSpan.FromSeconds(30), "the demo customer's V-Ray Solo license");
        var before = (await factory.LicenseAsync(licenseId!.Value)).Availability;
        var request = Request().Seats("vray-solo", 1);

        var activationId = await demo.ActivateAsync(request);

        var activation = await Page(demo, LicensingRoutes.FileActivation(activationId));
        Assert.Contains(request.ServerName, activation, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"granted-seats\">1<", activation, StringComparison.Ordinal);
        Assert.Contains("Download activation response", activation, StringComparison.Ordinal);

        var download = await demo.GetAsync(LicensingRoutes.ActivationResponse(activationId));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(".json", download.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var payload = await LicenseServerScenario.VerifyWithPublishedKeysAsync(demo.Http, await download.Content.ReadAsStringAsync(), "chaos.license-server.activation-response");
        Assert.Equal(customerNumber, payload.GetProperty("account").GetString());
        Assert.Equal(activationId, payload.GetProperty("activationId").GetGuid());
        Assert.Equal(request.Fingerprint, payload.GetProperty("hostFingerprint").GetString());
        Assert.Equal(request.Nonce, payload.GetProperty("nonce").GetString());
        Assert.Equal(request.ServerId, payload.GetProperty("serverId").GetString());
        var issuedAt = payload.GetProperty("issuedAt").GetDateTime().ToUniversalTime();
        var validUntil = payload.GetProperty("validUntil").GetDateTime().ToUniversalTime();
        Assert.InRange(issuedAt, Now.AddSeconds(-1), Now);
        Assert.InRange(validUntil, Now.AddDays(30).AddSeconds(-1), Now.AddDays(30));
        var granted = Assert.Single(payload.GetProperty("licenses").EnumerateArray());
        Assert.Equal((licenseId.Value, "vray-solo", 1), (granted.GetProperty("licenseId").GetGuid(), granted.GetProperty("product").GetString(), granted.GetProperty("seats").GetInt32()));

        var servers = await Page(demo, LicensingRoutes.Servers);
        var row = ServerRow(servers, request.ServerName);
        Assert.Contains("data-seats=\"1\"", row, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"held-seats\" data-license=\"{licenseId}\" data-seats=\"1\"", row, StringComparison.Ordinal);
        Assert.Contains("V-Ray Solo</a> × 1", row, StringComparison.Ordinal);
        Assert.Contains("Offline file", row, StringComparison.Ordinal);
        Assert.Contains(LicenseServer.Short(request.Fingerprint), row, StringComparison.Ordinal);
        Assert.Contains($"title=\"{request.Fingerprint}\"", row, StringComparison.Ordinal);
        Assert.Contains(validUntil.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC", row, StringComparison.Ordinal);
        Assert.Contains(LicensingRoutes.ActivationResponse(activationId), row, StringComparison.Ordinal);

        var license = await Page(demo, LicensingRoutes.License(licenseId.Value));
        Assert.Contains($"data-in-use=\"{before.InUse + 1}\"", license, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"available-count\">{before.Available - 1}<", license, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"license-server-seats\">1<", license, StringComparison.Ordinal);
        Assert.Contains(request.ServerName, license, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"seats-unused\"", license, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "not JSON", "it is not JSON" },
        { "wrong format", "This is not an activation request file: it does not say" },
        { "over 64 KB", "The file is larger than 64 KB" },
        { "far over 64 KB", "The file is larger than 64 KB" },
        { "expired", "The request has expired" },
        { "unknown product", "your account has no active license" },
        { "more seats than free", "The server asks for 4 seat(s) of V-Ray Solo, but only 3 of your 3 are free" },
        { "a fixed seat product", "it is activated on the workstation, not served by a license server" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_refused_with_its_message_and_changes_nothing(string bad, string message)
    {
        var (customer, licenseId) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 3);
        await customer.GiveLicenseAsync("enscape-fixed-annual", 1);
        var before = await factory.FootprintAsync(customer.UserId, licenseId);
        var file = bad switch
        {
            "not JSON" => Encoding.UTF8.GetBytes("serverId=farm-01\nseats=2\n"),
            "wrong format" => Encoding.UTF8.GetBytes("""{ "format": "chaos.license-borrow", "version": 1 }"""),
            "over 64 KB" => Padded(Request().Seats("vray-solo", 1).Build(), 65 * 1024),
            "far over 64 KB" => Padded(Request().Seats("vray-solo", 1).Build(), 1024 * 1024),
            "expired" => Request().CreatedAt(Now.AddDays(-8)).Seats("vray-solo", 1).Build(),
            "unknown product" => Request().Seats("no-such-product", 1).Build(),
            "more seats than free" => Request().Seats("vray-solo", 4).Build(),
            "a fixed seat product" => Request().Seats("enscape-fixed", 1).Build(),
            _ => throw new ArgumentOutOfRangeException(nameof(bad)),
        };

        var response = await customer.Client.UploadRequestAsync(file);

        string page;
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            // Too large to read at all: refused before the body is read, the form shown again with the same message.
            Assert.Equal("far over 64 KB", bad);
            Assert.Equal(LicensingRoutes.ActivateFromFile + "?refused=too-large", response.Headers.Location!.OriginalString);
            page = await Page(customer.Client, response.Headers.Location!.OriginalString);
        }
        else
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            page = PortalClient.Decode(await response.Content.ReadAsStringAsync());
        }
        Assert.Contains(message, Problem(page), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"request-file\"", page, StringComparison.Ordinal);
        Assert.Equal(before, await factory.FootprintAsync(customer.UserId, licenseId));
    }

    [Fact]
    public async Task A_request_file_is_accepted_once_its_replay_is_refused_and_changes_nothing()
    {
        var (customer, licenseId) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 3);
        var request = Request().Seats("vray-solo", 1);
        await customer.Client.ActivateAsync(request);
        var after = await factory.FootprintAsync(customer.UserId, licenseId);

        var replay = await customer.Client.UploadRequestAsync(request.Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, replay.StatusCode);
        Assert.Contains("This request file was already used on", Problem(PortalClient.Decode(await replay.Content.ReadAsStringAsync())), StringComparison.Ordinal);
        Assert.Equal(after, await factory.FootprintAsync(customer.UserId, licenseId));
        Assert.Equal((1, 1, 1, 1), (after.Servers, after.Leases, after.FileActivations, after.InUse));
    }

    [Fact]
    public async Task A_host_activated_by_another_customer_is_refused_and_changes_nothing()
    {
        var (owner, _) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 2);
        var (other, otherLicense) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 2);
        var ownersRequest = Request().Seats("vray-solo", 1);
        await owner.Client.ActivateAsync(ownersRequest);
        var before = await factory.FootprintAsync(other.UserId, otherLicense);

        var response = await other.Client.UploadRequestAsync(Request().OnHost(ownersRequest.Fingerprint).Seats("vray-solo", 1).Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("is already activated by another account", Problem(PortalClient.Decode(await response.Content.ReadAsStringAsync())), StringComparison.Ordinal);
        Assert.Equal(before, await factory.FootprintAsync(other.UserId, otherLicense));
        Assert.Equal(0, before.Servers);
    }

    [Fact]
    public async Task Deactivating_a_server_after_the_confirm_step_frees_its_seats_at_once()
    {
        var (customer, licenseId) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 3);
        var request = Request().Seats("vray-solo", 2);
        await customer.Client.ActivateAsync(request);
        var serverId = await factory.InLicensing(db => db.Servers.Where(s => s.Fingerprint == request.Fingerprint).Select(s => s.Id).SingleAsync());
        Assert.Equal(1, (await factory.LicenseAsync(licenseId)).Availability.Available);

        var confirm = await Page(customer.Client, LicensingRoutes.DeactivateServer(serverId));
        Assert.Contains("V-Ray Solo × 2", confirm, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"confirm-deactivate\"", confirm, StringComparison.Ordinal);
        var response = await customer.Client.SubmitAsync(LicensingRoutes.DeactivateServer(serverId), new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(LicensingRoutes.Servers, response.Headers.Location!.OriginalString);
        var license = await factory.LicenseAsync(licenseId);
        Assert.Equal((0, 3), (license.InUse, license.Availability.Available));
        var lease = await factory.InLicensing(db => db.Leases.AsNoTracking().SingleAsync(l => l.ServerId == serverId));
        Assert.Equal(SeatsEnded.ServerDeactivated, lease.EndReason);
        var servers = await Page(customer.Client, LicensingRoutes.Servers);
        Assert.Contains("is deactivated: its 2 seat(s) are free", servers, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-testid=\"server-row\" data-server=\"{serverId}\"", servers, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"deactivated-server-row\" data-server=\"{serverId}\"", servers, StringComparison.Ordinal);
        Assert.Contains("all 3 seat(s) are free", await Page(customer.Client, LicensingRoutes.License(licenseId)), StringComparison.Ordinal);

        // A second press (another tab) frees nothing twice.
        var again = await customer.Client.PostFromAsync(LicensingRoutes.Servers, LicensingRoutes.DeactivateServer(serverId));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(0, (await factory.LicenseAsync(licenseId)).InUse);
        Assert.Contains("was already deactivated", await Page(customer.Client, LicensingRoutes.Servers), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_subscription_lost_seats_the_license_page_says_which_seats_end_and_when()
    {
        var (customer, licenseId) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 3);
        var request = Request().Seats("vray-solo", 2);
        await customer.Client.ActivateAsync(request);
        var borrowed = await customer.Client.SubmitAsync(LicensingRoutes.Borrow, new Dictionary<string, string>
        {
            ["Form.LicenseId"] = licenseId.ToString(),
            ["Form.Seats"] = "1",
            ["Form.Machine"] = "laptop-dana",
            ["Form.ReturnOn"] = "2026-07-05",
        });
        Assert.Equal(HttpStatusCode.Redirect, borrowed.StatusCode);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            // The subscription went down to one seat: the server's file seats cannot be taken back offline, so they end at the file's date.
            var db = scope.ServiceProvider.GetRequiredService<LicensingDbContext>();
            var license = await db.Licenses.SingleAsync(l => l.Id == licenseId);
            license.Follow(license.ProductCode, license.FamilyCode, license.LicenseType, 1, license.ExpiresOn, active: true, Now);
            await db.SaveChangesAsync();
            await scope.ServiceProvider.GetRequiredService<SeatLedger>().TrimToQuantityAsync(licenseId, CancellationToken.None);
        }

        var page = await Page(customer.Client, LicensingRoutes.License(licenseId));

        var serverRow = Regex.Match(page, "<tr data-testid=\"license-server-row\".*?</tr>", RegexOptions.Singleline).Value;
        var borrowRow = Regex.Match(page, "<tr data-testid=\"license-borrow-row\".*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains(request.ServerName, serverRow, StringComparison.Ordinal);
        Assert.Contains($"ends on {Now.AddDays(30):yyyy-MM-dd}: the subscription lost seats (these 2 seat(s) are not renewed)", serverRow, StringComparison.Ordinal);
        Assert.DoesNotContain("ends on", borrowRow, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"over-allocated\"", page, StringComparison.Ordinal);
        Assert.Contains("ends on", ServerRow(await Page(customer.Client, LicensingRoutes.Servers), request.ServerName), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_customers_server_activation_and_response_are_not_found()
    {
        var (owner, ownersLicense) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 2);
        var request = Request().Seats("vray-solo", 1);
        var activationId = await owner.Client.ActivateAsync(request);
        var serverId = await factory.InLicensing(db => db.Servers.Where(s => s.Fingerprint == request.Fingerprint).Select(s => s.Id).SingleAsync());
        var stranger = await BillingCustomer.SignUpAsync(factory);

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(LicensingRoutes.FileActivation(activationId))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(LicensingRoutes.ActivationResponse(activationId))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(LicensingRoutes.DeactivateServer(serverId))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PostFromAsync(LicensingRoutes.Servers, LicensingRoutes.DeactivateServer(serverId))).StatusCode);

        Assert.True(await factory.InLicensing(db => db.Servers.Where(s => s.Id == serverId).Select(s => s.DeactivatedUtc == null).SingleAsync()));
        Assert.Equal(1, (await factory.LicenseAsync(ownersLicense)).InUse);
        Assert.DoesNotContain(request.ServerName, await Page(stranger.Client, LicensingRoutes.Servers), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync(LicensingRoutes.ActivationResponse(activationId))).StatusCode);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        var (customer, licenseId) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 2);
        var request = Request().Seats("vray-solo", 1);
        await customer.Client.ActivateAsync(request);
        var serverId = await factory.InLicensing(db => db.Servers.Where(s => s.Fingerprint == request.Fingerprint).Select(s => s.Id).SingleAsync());

        var deactivate = await customer.Client.Http.PostAsync(new Uri(LicensingRoutes.DeactivateServer(serverId), UriKind.Relative), new FormUrlEncodedContent([]));
        using var upload = new MultipartFormDataContent { { new ByteArrayContent(Request().Seats("vray-solo", 1).Build()), "RequestFile", "r.json" } };
        var activate = await customer.Client.Http.PostAsync(new Uri(LicensingRoutes.ActivateFromFile, UriKind.Relative), upload);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (deactivate.StatusCode, activate.StatusCode));
        Assert.Equal(1, (await factory.FootprintAsync(customer.UserId, licenseId)).Servers);
        Assert.Equal(1, (await factory.LicenseAsync(licenseId)).InUse);
    }

    [Fact]
    public async Task The_servers_page_shows_the_set_up_article_when_there_is_no_server_and_the_sub_tabs_on_every_licensing_page()
    {
        var (customer, licenseId) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 1);

        var servers = await Page(customer.Client, LicensingRoutes.Servers);

        Assert.Contains("data-testid=\"servers-empty\"", servers, StringComparison.Ordinal);
        Assert.Contains("href=\"https://docs.chaos.com/", servers, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"borrows-empty\"", servers, StringComparison.Ordinal);
        foreach (var path in new[] { LicensingRoutes.Licenses, LicensingRoutes.License(licenseId), LicensingRoutes.Servers, LicensingRoutes.ActivateFromFile, LicensingRoutes.Borrow })
        {
            var page = await Page(customer.Client, path);
            Assert.Contains("data-testid=\"licensing-tabs\"", page, StringComparison.Ordinal);
            Assert.Contains(">License Servers</a>", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Listing_the_servers_takes_as_many_queries_for_many_servers_and_borrows_as_for_one()
    {
        var (customer, _) = await LicenseServerScenario.CustomerWithLicenseAsync(factory, seats: 20);
        await customer.GiveLicenseAsync("corona-solo-annual", 20);
        await customer.Client.ActivateAsync(Request().Seats("vray-solo", 1));
        var one = await QueriesToListServers(customer.UserId);

        for (var i = 0; i < 4; i++)
        {
            await customer.Client.ActivateAsync(Request().Seats("vray-solo", 1).Seats("corona-solo", 2));
        }
        var (list, many) = (await ListServersAsync(customer.UserId), await QueriesToListServers(customer.UserId));

        Assert.Equal(5, list.Active.Count);
        Assert.Equal(one, many);
        Assert.InRange(many, 1, 8);
    }

    private async Task<ListServers.Result> ListServersAsync(string customerId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ListServers>().HandleAsync(customerId, CancellationToken.None);
    }

    /// <summary>
    /// Counts the SQL commands one listing sends to Licensing's tables (the command counter every module context carries
    /// in this portal; the catalog answers from its snapshot).
    /// </summary>
    private async Task<int> QueriesToListServers(string customerId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var commands = factory.Services.GetRequiredService<SqlCommandCounter>().Watch();
        await scope.ServiceProvider.GetRequiredService<ListServers>().HandleAsync(customerId, CancellationToken.None);
        return commands.Count(c => !c.Text.Contains("Catalog", StringComparison.OrdinalIgnoreCase));
    }

    private async Task<(string UserId, string CustomerNumber)> DemoCustomerAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Users.AsNoTracking().SingleAsync(u => u.Email == factory.DemoEmail);
        var account = await scope.ServiceProvider.GetRequiredService<ChaosModular.Accounts.Contracts.IAccountsApi>().FindCustomerAsync(user.Id, CancellationToken.None);
        return (user.Id, account!.CustomerNumber);
    }

    /// <summary>A request file padded (with a member readers ignore) to exactly <paramref name="size"/> bytes.</summary>
    private static byte[] Padded(byte[] file, int size)
    {
        var json = Encoding.UTF8.GetString(file);
        var padding = size - file.Length - ",\"padding\":\"\"".Length;
        return Encoding.UTF8.GetBytes(json[..^1] + ",\"padding\":\"" + new string('x', padding) + "\"}");
    }

    private static string Problem(string page) =>
        ActivationProblem().Match(page) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("No activation problem on the page.");

    private static string ServerRow(string page, string serverName) =>
        ServerRows().Matches(page).Select(m => m.Value).SingleOrDefault(r => r.Contains(serverName, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"No server row for {serverName}.");

    [GeneratedRegex("data-testid=\"activation-problem\">([^<]*)<")]
    private static partial Regex ActivationProblem();

    [GeneratedRegex("<tr id=\"server-[^\"]+\" data-testid=\"server-row\".*?</tr>", RegexOptions.Singleline)]
    private static partial Regex ServerRows();
}
