using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChaosModular.Licensing.Domain;
using ChaosModular.Licensing.Features;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>A portal whose clock stands still at 2026-07-02 10:00 UTC until a test moves it; activation is not rate limited here.</summary>
public sealed class LicenseServerPortalFactory : SqlitePortalFactory
{
    public LicenseServerPortalFactory()
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 2, 10, 0, 0, TimeSpan.Zero));
        With("Licensing:Api:ActivationsPerMinute", "1000");
    }

    public FakeTimeProvider FakeClock => (FakeTimeProvider)Clock!;
}

/// <summary>Activation allows two calls a minute per address.</summary>
public sealed class RateLimitedPortalFactory : SqlitePortalFactory
{
    public RateLimitedPortalFactory() => With("Licensing:Api:ActivationsPerMinute", "2");
}

/// <summary>The online API as a license server uses it: activate with a code, lease, heartbeat, release.</summary>
public sealed class LicenseServerApiTests(LicenseServerPortalFactory factory) : IClassFixture<LicenseServerPortalFactory>
{
    private const string Api = LicenseServerClient.Api;

    [Fact]
    public async Task A_server_activated_with_a_code_leases_renews_and_releases_seats_the_licenses_page_shows()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: 5);
        var server = new LicenseServerClient(factory);

        var activated = await server.ActivateAsync(await account.ActivationCodeAsync());

        Assert.Equal(HttpStatusCode.Created, activated.StatusCode);
        using (var body = await LicenseServerClient.Json(activated))
        {
            Assert.Equal(600, body.RootElement.GetProperty("leaseTtlSeconds").GetInt32());
            Assert.Equal(120, body.RootElement.GetProperty("heartbeatSeconds").GetInt32());
            Assert.StartsWith($"lss_{server.ServerKey:N}_", server.Secret, StringComparison.Ordinal);
        }
        var stored = await factory.InLicensing(db => db.Servers.AsNoTracking().SingleAsync(s => s.Id == server.ServerKey));
        Assert.Equal((account.UserId, server.ServerId, server.Fingerprint, ActivationMode.Online), (stored.CustomerId, stored.ServerKey, stored.Fingerprint, stored.Mode));
        Assert.DoesNotContain(server.Secret!, stored.SecretHash, StringComparison.Ordinal);

        var licenses = await server.LicensesAsync();
        Assert.Equal(HttpStatusCode.OK, licenses.StatusCode);
        using (var list = await LicenseServerClient.Json(licenses))
        {
            var license = Assert.Single(list.RootElement.EnumerateArray());
            Assert.Equal(licenseId, license.GetProperty("licenseId").GetGuid());
            Assert.Equal("vray-solo", license.GetProperty("product").GetString());
            Assert.Equal((5, 0, 0, 5), (license.GetProperty("quantity").GetInt32(), license.GetProperty("inUse").GetInt32(),
                license.GetProperty("borrowed").GetInt32(), license.GetProperty("available").GetInt32()));
        }

        var leased = await server.LeaseAsync(licenseId, seats: 2);
        Assert.Equal(HttpStatusCode.Created, leased.StatusCode);
        Guid leaseId;
        using (var lease = await LicenseServerClient.Json(leased))
        {
            leaseId = lease.RootElement.GetProperty("leaseId").GetGuid();
            Assert.Equal((licenseId, 2), (lease.RootElement.GetProperty("licenseId").GetGuid(), lease.RootElement.GetProperty("seats").GetInt32()));
            var expected = factory.FakeClock.GetUtcNow().UtcDateTime.AddMinutes(10);
            Assert.Equal(expected.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), lease.RootElement.GetProperty("expiresAt").GetString());
        }
        Assert.Equal(2, (await account.LicenseOfAsync(licenseId)).InUse);
        Assert.Equal(2, await account.InUseOnLicensesPageAsync(licenseId));

        factory.FakeClock.Advance(TimeSpan.FromMinutes(5));
        var heartbeat = await server.HeartbeatAsync();
        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        using (var beat = await LicenseServerClient.Json(heartbeat))
        {
            var now = factory.FakeClock.GetUtcNow().UtcDateTime;
            var renewed = Assert.Single(beat.RootElement.GetProperty("leases").EnumerateArray());
            Assert.Equal(leaseId, renewed.GetProperty("leaseId").GetGuid());
            Assert.Equal(now.AddMinutes(10), renewed.GetProperty("expiresAt").GetDateTime().ToUniversalTime());
            Assert.Empty(beat.RootElement.GetProperty("ended").EnumerateArray());
        }
        var seen = await factory.InLicensing(db => db.Servers.AsNoTracking().SingleAsync(s => s.Id == server.ServerKey));
        Assert.Equal(factory.FakeClock.GetUtcNow().UtcDateTime, seen.LastSeenUtc);

        Assert.Equal(HttpStatusCode.NoContent, (await server.ReleaseAsync(leaseId)).StatusCode);
        Assert.Equal(0, (await account.LicenseOfAsync(licenseId)).InUse);
        Assert.Equal(0, await account.InUseOnLicensesPageAsync(licenseId));
        var released = await factory.InLicensing(db => db.Leases.AsNoTracking().SingleAsync(l => l.Id == leaseId));
        Assert.Equal(SeatsEnded.Released, released.EndReason);
        Assert.Equal(HttpStatusCode.NoContent, (await server.ReleaseAsync(leaseId)).StatusCode);   // a retry frees nothing more
        Assert.Equal(0, (await account.LicenseOfAsync(licenseId)).InUse);
    }

    [Fact]
    public async Task A_product_leases_from_the_latest_expiring_license_that_has_the_seats()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var annual = await account.LicenseAsync(seats: 2);
        var monthly = await account.LicenseAsync(seats: 1, plan: "vray-solo-monthly");
        Assert.True((await account.LicenseOfAsync(annual)).ExpiresOn > (await account.LicenseOfAsync(monthly)).ExpiresOn);
        var server = await account.ActivateServerAsync();

        Assert.Equal(annual, await LicenseOf(await server.LeaseProductAsync("vray-solo", seats: 2)));
        Assert.Equal(monthly, await LicenseOf(await server.LeaseProductAsync("vray-solo")));

        Assert.StartsWith("No seats free", await LicenseServerClient.ProblemAsync(await server.LeaseProductAsync("vray-solo"), HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Contains("no-such-product", await LicenseServerClient.ProblemAsync(await server.LeaseProductAsync("no-such-product"), HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Equal((2, 1), ((await account.LicenseOfAsync(annual)).InUse, (await account.LicenseOfAsync(monthly)).InUse));

        static async Task<Guid> LicenseOf(HttpResponseMessage leased)
        {
            Assert.Equal(HttpStatusCode.Created, leased.StatusCode);
            using var lease = await LicenseServerClient.Json(leased);
            return lease.RootElement.GetProperty("licenseId").GetGuid();
        }
    }

    [Fact]
    public async Task An_activation_code_works_once()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var code = await account.ActivationCodeAsync();
        Assert.Matches("^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$", code);

        Assert.Equal(HttpStatusCode.Created, (await new LicenseServerClient(factory).ActivateAsync(code.ToLowerInvariant())).StatusCode);
        var again = await new LicenseServerClient(factory).ActivateAsync(code);

        Assert.Contains("already used", await LicenseServerClient.ProblemAsync(again, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        var stored = await factory.InLicensing(db => db.ActivationCodes.AsNoTracking().SingleAsync(c => c.CustomerId == account.UserId));
        Assert.DoesNotContain(code, stored.CodeHash, StringComparison.Ordinal);
        Assert.NotNull(stored.ServerId);
    }

    [Fact]
    public async Task An_activation_code_past_its_hours_is_refused()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var code = await account.ActivationCodeAsync();

        factory.FakeClock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        var late = await new LicenseServerClient(factory).ActivateAsync(code);

        await LicenseServerClient.ProblemAsync(late, HttpStatusCode.Forbidden);
        Assert.Equal(0, await factory.InLicensing(db => db.Servers.CountAsync(s => s.CustomerId == account.UserId)));
    }

    [Fact]
    public async Task A_host_activated_for_one_account_cannot_be_activated_for_another_whose_code_stays_unused()
    {
        var owner = await ServerAccount.SignUpAsync(factory);
        var first = await owner.ActivateServerAsync();
        var other = await ServerAccount.SignUpAsync(factory);
        var code = await other.ActivationCodeAsync();

        var taken = await new LicenseServerClient(factory, first.Fingerprint).ActivateAsync(code);

        Assert.Contains("another account", await LicenseServerClient.ProblemAsync(taken, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await first.LicensesAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await new LicenseServerClient(factory).ActivateAsync(code)).StatusCode);
    }

    [Fact]
    public async Task Activating_the_same_host_again_gives_a_new_secret_and_ends_what_it_held()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: 3);
        var before = await account.ActivateServerAsync();
        var leaseId = await before.LeasedAsync(licenseId, seats: 3);

        var after = await account.ActivateServerAsync(before.Fingerprint);

        Assert.Equal(before.ServerKey, after.ServerKey);
        await LicenseServerClient.ProblemAsync(await before.LicensesAsync(), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await after.LicensesAsync()).StatusCode);
        Assert.Equal(SeatsEnded.Replaced, (await factory.InLicensing(db => db.Leases.AsNoTracking().SingleAsync(l => l.Id == leaseId))).EndReason);
        Assert.Equal(0, (await account.LicenseOfAsync(licenseId)).InUse);
        Assert.Equal(HttpStatusCode.Created, (await after.LeaseAsync(licenseId, seats: 3)).StatusCode);
    }

    [Fact]
    public async Task Calls_without_the_servers_secret_are_401_problems_with_a_bearer_challenge()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var server = await account.ActivateServerAsync();
        var wrongSecret = server.Secret![..^4] + (server.Secret.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        var none = await server.SendAsync(HttpMethod.Get, "/licenses", secret: "");
        var wrong = await server.SendAsync(HttpMethod.Get, "/licenses", secret: wrongSecret);
        var garbage = await server.SendAsync(HttpMethod.Post, "/heartbeat", secret: "not-a-secret");

        foreach (var response in new[] { none, wrong, garbage })
        {
            await LicenseServerClient.ProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
        Assert.Equal(HttpStatusCode.OK, (await server.LicensesAsync()).StatusCode);
    }

    [Fact]
    public async Task The_portals_sign_in_cookie_is_not_a_servers_secret()
    {
        var account = await ServerAccount.SignUpAsync(factory);

        var response = await account.Customer.Client.Http.GetAsync($"{Api}/licenses");

        await LicenseServerClient.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_server_deactivated_in_the_portal_is_refused()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var server = await account.ActivateServerAsync();
        await factory.InLicensing(async db =>
        {
            var row = await db.Servers.SingleAsync(s => s.Id == server.ServerKey);
            Assert.True(row.Deactivate(factory.FakeClock.GetUtcNow().UtcDateTime));
            return await db.SaveChangesAsync();
        });

        await LicenseServerClient.ProblemAsync(await server.HeartbeatAsync(), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task No_seats_free_is_a_409_problem_and_nothing_is_taken()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: 1);
        var server = await account.ActivateServerAsync();
        await server.LeasedAsync(licenseId);

        var detail = await LicenseServerClient.ProblemAsync(await server.LeaseAsync(licenseId), HttpStatusCode.Conflict);

        Assert.StartsWith("No seats free", detail, StringComparison.Ordinal);
        Assert.Equal(1, (await account.LicenseOfAsync(licenseId)).InUse);
        Assert.Equal(1, await factory.InLicensing(db => db.Leases.CountAsync(l => l.LicenseId == licenseId)));
    }

    [Fact]
    public async Task A_fixed_seat_license_is_not_leased()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var fixedSeat = await account.LicenseAsync(seats: 3, plan: "enscape-fixed-annual");
        var server = await account.ActivateServerAsync();

        Assert.Contains("fixed-seat", await LicenseServerClient.ProblemAsync(await server.LeaseAsync(fixedSeat), HttpStatusCode.Conflict), StringComparison.Ordinal);
        using var list = await LicenseServerClient.Json(await server.LicensesAsync());
        Assert.Empty(list.RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Another_accounts_license_and_lease_are_not_found()
    {
        var owner = await ServerAccount.SignUpAsync(factory);
        var licenseId = await owner.LicenseAsync(seats: 2);
        var ownServer = await owner.ActivateServerAsync();
        var leaseId = await ownServer.LeasedAsync(licenseId);
        var stranger = await (await ServerAccount.SignUpAsync(factory)).ActivateServerAsync();

        await LicenseServerClient.ProblemAsync(await stranger.LeaseAsync(licenseId), HttpStatusCode.NotFound);
        await LicenseServerClient.ProblemAsync(await stranger.ReleaseAsync(leaseId), HttpStatusCode.NotFound);

        Assert.Equal(1, (await owner.LicenseOfAsync(licenseId)).InUse);
    }

    [Fact]
    public async Task A_body_that_is_not_json_or_breaks_the_rules_is_a_400_problem_not_an_error_page()
    {
        var server = await (await ServerAccount.SignUpAsync(factory)).ActivateServerAsync();
        using var broken = new StringContent("{\"activationCode\": ", Encoding.UTF8, "application/json");

        var notJson = await server.Http.PostAsync($"{Api}/activate", broken);
        var mistyped = await server.SendAsync(HttpMethod.Post, "/leases", new { licenseId = 42 });
        var invalid = await server.Http.PostAsJsonAsync($"{Api}/activate", new { activationCode = "ABCD", serverId = "farm 01", serverName = "", hostFingerprint = "md5:1" });
        var tooMany = await server.SendAsync(HttpMethod.Post, "/leases", new { product = "vray-solo", seats = 1001 });

        await LicenseServerClient.ProblemAsync(notJson, HttpStatusCode.BadRequest);
        await LicenseServerClient.ProblemAsync(mistyped, HttpStatusCode.BadRequest);
        await LicenseServerClient.ProblemAsync(invalid, HttpStatusCode.BadRequest);
        using (var problem = await LicenseServerClient.Json(invalid))
        {
            var errors = problem.RootElement.GetProperty("errors");
            Assert.Equal(["activationCode", "hostFingerprint", "serverId", "serverName"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        }
        Assert.Contains("seats", await LicenseServerClient.ProblemAsync(tooMany, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_calls_under_the_api_are_404_problems()
    {
        var server = await (await ServerAccount.SignUpAsync(factory)).ActivateServerAsync();

        await LicenseServerClient.ProblemAsync(await server.SendAsync(HttpMethod.Get, "/nothing-here"), HttpStatusCode.NotFound);
        await LicenseServerClient.ProblemAsync(await server.SendAsync(HttpMethod.Get, "/activate"), HttpStatusCode.NotFound);
        await LicenseServerClient.ProblemAsync(await server.SendAsync(HttpMethod.Delete, "/leases/not-a-guid"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_five_calls_and_the_bearer_scheme()
    {
        using var anonymous = factory.CreateClient();

        var response = await anonymous.GetAsync("/openapi/license-servers-v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = await LicenseServerClient.Json(response);
        var root = document.RootElement;
        var operations = root.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch").Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value)))
            .ToList();
        Assert.Equal(
            [("delete", $"{Api}/leases/{{leaseId}}"), ("get", $"{Api}/licenses"), ("post", $"{Api}/activate"), ("post", $"{Api}/heartbeat"), ("post", $"{Api}/leases")],
            operations.Select(o => (o.Method, o.Path)).Order());

        var scheme = Assert.Single(root.GetProperty("components").GetProperty("securitySchemes").EnumerateObject());
        Assert.Equal(("http", "bearer"), (scheme.Value.GetProperty("type").GetString(), scheme.Value.GetProperty("scheme").GetString()));
        foreach (var (path, _, operation) in operations)
        {
            var secured = operation.TryGetProperty("security", out var security)
                && security.EnumerateArray().Any(r => r.TryGetProperty(scheme.Name, out _));
            Assert.Equal(!path.EndsWith("/activate", StringComparison.Ordinal), secured);
        }

        var activate = operations.Single(o => o.Path.EndsWith("/activate", StringComparison.Ordinal)).Operation;
        Assert.True(activate.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(activate.GetProperty("responses").TryGetProperty("201", out _));
        var schemas = root.GetProperty("components").GetProperty("schemas");
        Assert.Equal(["activationCode", "hostFingerprint", "serverId", "serverName"],
            schemas.GetProperty("ActivateRequest").GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.True(schemas.GetProperty("HeartbeatResponse").GetProperty("properties").TryGetProperty("ended", out _));
        Assert.False(schemas.GetProperty("LeaseRequest").TryGetProperty("required", out _));   // licenseId or product, seats optional
    }
}

/// <summary>Activation is limited per address: the call past the limit is a 429 problem that says when to come back.</summary>
public sealed class LicenseServerRateLimitTests(RateLimitedPortalFactory factory) : IClassFixture<RateLimitedPortalFactory>
{
    [Fact]
    public async Task Activations_past_the_limit_are_429_problems_with_retry_after()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        await account.ActivateServerAsync();
        await account.ActivateServerAsync();

        var third = await new LicenseServerClient(factory).ActivateAsync(await account.ActivationCodeAsync());

        await LicenseServerClient.ProblemAsync(third, (HttpStatusCode)429);
        var retryAfter = third.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Pages_are_not_limited_by_the_api_policies()
    {
        var account = await ServerAccount.SignUpAsync(factory);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await account.Customer.Client.GetAsync("/licensing")).StatusCode);
        }
    }
}
