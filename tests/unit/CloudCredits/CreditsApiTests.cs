using System.Net;
using System.Text.Json;
using ChaosModular.CloudCredits.Api;
using ChaosModular.Organizations.Contracts;

namespace ChaosModular.UnitTests.CloudCredits;

/// <summary>A portal whose consumption API allows two calls a minute per service.</summary>
public sealed class CreditsRateLimitedPortalFactory : SqlitePortalFactory
{
    public CreditsRateLimitedPortalFactory() => With("CloudCredits:Api:RequestsPerMinute", "2");
}

/// <summary>The consumption API as the rendering service uses it: debits from the active pool, once per request id, and balances.</summary>
public sealed class CreditsApiTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    private RenderingService Service => new(factory);

    private static string NewId() => $"job-{Guid.NewGuid():N}";

    [Fact]
    public async Task Without_a_key_or_with_a_wrong_one_every_call_is_401_and_nothing_is_spent()
    {
        var customer = await CreditsCustomer.SignUpAsync(factory);
        await customer.GrantAsync("Own credits", 50m, customer.Today.AddDays(30));

        foreach (var service in new[] { new RenderingService(factory, key: null), new RenderingService(factory, key: "ccs_not_a_service_key") })
        {
            var debit = await service.DebitAsync(NewId(), customer.UserId, 5m);
            var problem = await RenderingService.ProblemAsync(debit, HttpStatusCode.Unauthorized);
            Assert.Contains("Authorization: Bearer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("Bearer", debit.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            await RenderingService.ProblemAsync(await service.BalanceAsync(customer.UserId), HttpStatusCode.Unauthorized);
        }
        Assert.Equal("50", new CreditsPage(await customer.CreditsPageAsync()).Remaining);
    }

    [Fact]
    public async Task A_debit_takes_the_users_own_credits_soonest_expiry_first_and_the_balance_shows_the_rest()
    {
        var customer = await CreditsCustomer.SignUpAsync(factory);
        await customer.GrantAsync("Later", 100m, customer.Today.AddDays(200));
        await customer.GrantAsync("Sooner", 30m, customer.Today.AddDays(20));
        var requestId = NewId();

        var response = await Service.DebitAsync(requestId, customer.Email.ToUpperInvariant(), 42.5m, "Frame 1-120 of kitchen.vrscene");

        var debit = await RenderingService.JsonAsync(response, HttpStatusCode.Created);
        Assert.Equal((requestId, customer.UserId, "personal", 42.5m, 87.5m),
            (debit.GetProperty("requestId").GetString(), debit.GetProperty("account").GetString(), debit.GetProperty("pool").GetString(),
             debit.GetProperty("credits").GetDecimal(), debit.GetProperty("available").GetDecimal()));
        var page = new CreditsPage(await customer.CreditsPageAsync());
        Assert.Equal(("0", "87.5"), (page.Row("Sooner")["remaining"], page.Row("Later")["remaining"]));

        var balance = await RenderingService.JsonAsync(await Service.BalanceAsync(customer.UserId), HttpStatusCode.OK);
        Assert.Equal(("personal", 87.5m, JsonValueKind.Null), (balance.GetProperty("pool").GetString(), balance.GetProperty("available").GetDecimal(), balance.GetProperty("allocation").ValueKind));
        Assert.Equal(customer.Today.AddDays(200).ToString("yyyy-MM-dd"), balance.GetProperty("nextExpiry").GetString());
    }

    [Fact]
    public async Task A_debit_larger_than_what_is_left_is_refused_with_what_is_available_and_changes_nothing()
    {
        var customer = await CreditsCustomer.SignUpAsync(factory);
        await customer.GrantAsync("Own credits", 10m, customer.Today.AddDays(30), used: 4m);
        var requestId = NewId();

        var problem = await RenderingService.ProblemAsync(await Service.DebitAsync(requestId, customer.UserId, 6.01m), HttpStatusCode.Conflict);

        Assert.Equal(("Insufficient credits", ConsumptionApi.InsufficientType, 6m),
            (problem.GetProperty("title").GetString(), problem.GetProperty("type").GetString(), problem.GetProperty("available").GetDecimal()));
        Assert.Equal("4", new CreditsPage(await customer.CreditsPageAsync()).Used);
        Assert.False(await factory.InCredits(db => db.Debits.AnyAsync(d => d.RequestId == requestId)));

        // Refused, the same request id can be used once credits are there.
        await RenderingService.JsonAsync(await Service.DebitAsync(requestId, customer.UserId, 6m), HttpStatusCode.Created);
        var empty = await RenderingService.ProblemAsync(await Service.DebitAsync(NewId(), customer.UserId, 0.01m), HttpStatusCode.Conflict);
        Assert.Equal(0m, empty.GetProperty("available").GetDecimal());
        Assert.Equal("10", new CreditsPage(await customer.CreditsPageAsync()).Used);
    }

    [Fact]
    public async Task Sending_a_debit_again_answers_the_first_result_and_other_content_under_its_id_is_refused()
    {
        var customer = await CreditsCustomer.SignUpAsync(factory);
        await customer.GrantAsync("Own credits", 100m, customer.Today.AddDays(30));
        var requestId = NewId();

        var first = await RenderingService.JsonAsync(await Service.DebitAsync(requestId, customer.UserId, 25m, "Job A"), HttpStatusCode.Created);
        var again = await Service.DebitAsync(requestId, customer.UserId, 25m, "Job A");
        var replay = await RenderingService.JsonAsync(again, HttpStatusCode.Created);
        await RenderingService.JsonAsync(await Service.DebitAsync(NewId(), customer.UserId, 1m), HttpStatusCode.Created);
        var later = await RenderingService.JsonAsync(await Service.DebitAsync(requestId, customer.UserId, 25m, "Job A"), HttpStatusCode.Created);

        Assert.Equal("true", Assert.Single(again.Headers.GetValues(ConsumptionApi.ReplayedHeader)));
        Assert.Equal(first.GetRawText(), replay.GetRawText());
        Assert.Equal(first.GetRawText(), later.GetRawText());   // the first result, not today's balance
        Assert.Equal("26", new CreditsPage(await customer.CreditsPageAsync()).Used);

        foreach (var (credits, description) in new[] { (26m, "Job A"), (25m, "Job B") })
        {
            var problem = await RenderingService.ProblemAsync(await Service.DebitAsync(requestId, customer.UserId, credits, description), HttpStatusCode.Conflict);
            Assert.Equal(ConsumptionApi.RequestIdReusedType, problem.GetProperty("type").GetString());
        }
        Assert.Equal(1, await factory.InCredits(db => db.Debits.CountAsync(d => d.RequestId == requestId)));
        Assert.Equal("26", new CreditsPage(await customer.CreditsPageAsync()).Used);
    }

    [Fact]
    public async Task A_member_spends_only_their_allocation_never_their_own_credits_and_within_what_the_pool_has()
    {
        var organization = await CreditPoolScenario.SetUpAsync(factory, pool: 100m);
        var member = await organization.JoinAsync(OrganizationRole.Member);
        await member.GrantAsync("Member's own credits", 1000m, member.Today.AddDays(30));
        var unallocated = await organization.JoinAsync(OrganizationRole.Member);
        await unallocated.GrantAsync("Unallocated member's own", 1000m, unallocated.Today.AddDays(30));
        var unlimited = await organization.JoinAsync(OrganizationRole.Member);
        Assert.Equal(HttpStatusCode.Redirect, (await organization.AllocateAsync("50", member)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await organization.AllocateAsync("unlimited", unlimited)).StatusCode);

        var debit = await RenderingService.JsonAsync(await Service.DebitAsync(NewId(), member.UserId, 30m), HttpStatusCode.Created);
        Assert.Equal(("organization", 20m), (debit.GetProperty("pool").GetString(), debit.GetProperty("available").GetDecimal()));
        var over = await RenderingService.ProblemAsync(await Service.DebitAsync(NewId(), member.UserId, 20.01m), HttpStatusCode.Conflict);
        Assert.Equal(20m, over.GetProperty("available").GetDecimal());
        Assert.Contains("allocation from", over.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var none = await RenderingService.ProblemAsync(await Service.DebitAsync(NewId(), unallocated.UserId, 1m), HttpStatusCode.Conflict);
        Assert.Equal(0m, none.GetProperty("available").GetDecimal());

        // Unlimited: up to the pool, which the member's 30 already lowered to 70.
        await RenderingService.ProblemAsync(await Service.DebitAsync(NewId(), unlimited.UserId, 70.01m), HttpStatusCode.Conflict);
        await RenderingService.JsonAsync(await Service.DebitAsync(NewId(), unlimited.UserId, 60m), HttpStatusCode.Created);
        // Now the pool (10) is smaller than the member's allocation remainder (20).
        var pooled = await RenderingService.JsonAsync(await Service.BalanceAsync(member.Email), HttpStatusCode.OK);
        Assert.Equal((10m, 10m, 50m, 30m, 20m), (pooled.GetProperty("available").GetDecimal(), pooled.GetProperty("poolAvailable").GetDecimal(),
            pooled.GetProperty("allocation").GetProperty("limit").GetDecimal(), pooled.GetProperty("allocation").GetProperty("used").GetDecimal(),
            pooled.GetProperty("allocation").GetProperty("remaining").GetDecimal()));
        await RenderingService.ProblemAsync(await Service.DebitAsync(NewId(), member.UserId, 10.01m), HttpStatusCode.Conflict);

        Assert.Equal(90m, await organization.PoolUsedAsync());
        Assert.Equal(0m, await factory.InCredits(async db => (await db.Grants.Where(g => g.CustomerId == member.UserId || g.CustomerId == unallocated.UserId).Select(g => g.Used).ToListAsync()).Sum()));
    }

    [Fact]
    public async Task A_guest_spends_from_the_pool_they_chose_their_own_until_they_choose_the_organizations()
    {
        var organization = await CreditPoolScenario.SetUpAsync(factory, pool: 100m);
        var guest = await organization.JoinAsync(OrganizationRole.Guest);
        await guest.GrantAsync("Guest's own credits", 40m, guest.Today.AddDays(30));
        await organization.AllocateAsync("20", guest);

        var own = await RenderingService.JsonAsync(await Service.DebitAsync(NewId(), guest.UserId, 5m), HttpStatusCode.Created);
        Assert.Equal(("personal", 35m), (own.GetProperty("pool").GetString(), own.GetProperty("available").GetDecimal()));

        Assert.Equal(HttpStatusCode.Redirect, (await guest.Client.SubmitAsync("/products/cloud-credits?handler=ChoosePool", new Dictionary<string, string> { ["pool"] = "Organization" })).StatusCode);
        var pooled = await RenderingService.JsonAsync(await Service.DebitAsync(NewId(), guest.UserId, 15m), HttpStatusCode.Created);
        Assert.Equal(("organization", 5m), (pooled.GetProperty("pool").GetString(), pooled.GetProperty("available").GetDecimal()));
        var refused = await RenderingService.ProblemAsync(await Service.DebitAsync(NewId(), guest.UserId, 6m), HttpStatusCode.Conflict);
        Assert.Equal(5m, refused.GetProperty("available").GetDecimal());   // their own 35 are not touched while the organization's pool is active

        await guest.Client.SubmitAsync("/products/cloud-credits?handler=ChoosePool", new Dictionary<string, string> { ["pool"] = "Personal" });
        await RenderingService.JsonAsync(await Service.DebitAsync(NewId(), guest.UserId, 6m), HttpStatusCode.Created);
        Assert.Equal(15m, await organization.PoolUsedAsync());
        Assert.Equal("11", new CreditsPage(await guest.CreditsPageAsync()).Used);
    }

    [Fact]
    public async Task Bad_input_is_a_400_problem_and_an_unknown_account_a_404()
    {
        var customer = await CreditsCustomer.SignUpAsync(factory);
        await customer.GrantAsync("Own credits", 10m, customer.Today.AddDays(30));

        foreach (var json in new[]
        {
            "{}",
            $"{{\"requestId\":\"a\",\"account\":\"{customer.UserId}\",\"credits\":0,\"description\":\"x\"}}",
            $"{{\"requestId\":\"a\",\"account\":\"{customer.UserId}\",\"credits\":1.005,\"description\":\"x\"}}",
            $"{{\"requestId\":\"a\",\"account\":\"{customer.UserId}\",\"credits\":1,\"description\":\"\"}}",
            $"{{\"requestId\":\"{new string('x', 101)}\",\"account\":\"{customer.UserId}\",\"credits\":1,\"description\":\"x\"}}",
            "not json",
            "[1,2]",
        })
        {
            var problem = await RenderingService.ProblemAsync(await Service.PostRawAsync("/debits", json), HttpStatusCode.BadRequest);
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()), json);
        }
        await RenderingService.ProblemAsync(await Service.BalanceAsync(""), HttpStatusCode.BadRequest);
        var unknown = await RenderingService.ProblemAsync(await Service.DebitAsync(NewId(), "nobody@example.test", 1m), HttpStatusCode.NotFound);
        Assert.Contains("nobody@example.test", unknown.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await RenderingService.ProblemAsync(await Service.BalanceAsync("no-such-user-id"), HttpStatusCode.NotFound);
        await RenderingService.ProblemAsync(await Service.PostRawAsync("/nothing-here", "{}"), HttpStatusCode.NotFound);
        Assert.Equal("0", new CreditsPage(await customer.CreditsPageAsync()).Used);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_calls_and_the_key()
    {
        var response = await factory.CreatePortalClient().GetAsync(new Uri(ChaosModular.CloudCredits.Contracts.CloudCreditsRoutes.OpenApiDocument, UriKind.Relative));

        var document = await RenderingService.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("ChaosModular cloud credits", document.GetProperty("info").GetProperty("title").GetString());
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/cloud-credits/v1/debits", out var debits));
        Assert.True(debits.GetProperty("post").GetProperty("responses").TryGetProperty("409", out _));
        Assert.True(paths.TryGetProperty("/api/cloud-credits/v1/balance", out _));
        Assert.False(paths.TryGetProperty("/api/license-servers/v1/leases", out _));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty(ConsumptionApi.KeyScheme).GetProperty("scheme").GetString());
    }
}

/// <summary>Rate limits per service: the third call in a minute is a 429 problem with Retry-After.</summary>
public sealed class CreditsApiRateLimitTests(CreditsRateLimitedPortalFactory factory) : IClassFixture<CreditsRateLimitedPortalFactory>
{
    [Fact]
    public async Task A_service_over_its_calls_a_minute_gets_429_with_retry_after()
    {
        var service = new RenderingService(factory);
        await service.BalanceAsync("nobody");
        await service.BalanceAsync("nobody");

        var third = await service.BalanceAsync("nobody");

        await RenderingService.ProblemAsync(third, HttpStatusCode.TooManyRequests);
        Assert.NotNull(third.Headers.RetryAfter);
    }
}

internal static class CreditsFactoryExtensions
{
    public static async Task<T> InCredits<T>(this PortalFactory factory, Func<ChaosModular.CloudCredits.Data.CloudCreditsDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ChaosModular.CloudCredits.Data.CloudCreditsDbContext>());
    }
}
