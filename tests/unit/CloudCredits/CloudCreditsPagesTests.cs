using System.Net;
using ChaosModular.CloudCredits.Contracts;
using ChaosModular.CloudCredits.Data;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.CloudCredits;

/// <summary>Products › Cloud Credits through the real pipeline: what a customer sees of their own credits, and the way to Chaos Cloud.</summary>
public sealed class CloudCreditsPagesTests(DemoSqlitePortalFactory factory) : IClassFixture<DemoSqlitePortalFactory>
{
    private const string Path = "/products/cloud-credits";

    [Fact]
    public async Task A_customer_sees_their_grants_with_used_remaining_and_expiry_and_nobody_elses()
    {
        var owner = await CreditsCustomer.SignUpAsync(factory);
        var stranger = await CreditsCustomer.SignUpAsync(factory);
        var today = owner.Today;
        await owner.GrantAsync("Included with V-Ray Premium annual", 500m, today.AddDays(200), used: 120.5m);
        await owner.GrantAsync("Chaos Cloud credits — order INV-2026-000042", 1250m, today.AddDays(30));
        await stranger.GrantAsync("Stranger's studio credits", 4321.75m, today.AddDays(60), used: 9m);

        var page = new CreditsPage(await owner.CreditsPageAsync());

        Assert.Contains("<h1 class=\"h3 mb-3\">Products</h1>", page.Html, StringComparison.Ordinal);
        Assert.Contains($"class=\"nav-link active\" aria-current=\"page\" href=\"{Path}\">Cloud Credits", page.Html, StringComparison.Ordinal);
        Assert.Equal("1,629.5", page.Remaining);
        Assert.Equal("120.5", page.Used);
        Assert.Equal(["Chaos Cloud credits — order INV-2026-000042", "Included with V-Ray Premium annual"], page.Rows.Select(r => r["description"]));   // soonest expiry first
        var included = page.Row("Included with V-Ray Premium annual");
        Assert.Equal((today.AddDays(200).ToString("yyyy-MM-dd"), "500", "120.5", "379.5", "Active"),
            (included["expires-on"], included["amount"], included["used"], included["remaining"], included["status"]));
        Assert.Equal(("24", "120.5 of 500 credits used (24 %)"), page.UsageBar("Included with V-Ray Premium annual"));
        var order = page.Row("Chaos Cloud credits — order INV-2026-000042");
        Assert.Equal(("1,250", "0", "1,250", "Active"), (order["amount"], order["used"], order["remaining"], order["status"]));
        Assert.Equal("0", page.UsageBar("Chaos Cloud credits — order INV-2026-000042").Now);
        Assert.DoesNotContain("Stranger", page.Html, StringComparison.Ordinal);
        // Grouped decimals cannot occur by chance in the page's random ids (hex GUIDs), unlike a bare "999".
        Assert.DoesNotContain("4,321.75", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("4,312.75", page.Html, StringComparison.Ordinal);

        var theirs = new CreditsPage(await stranger.CreditsPageAsync());
        Assert.Equal(["Stranger's studio credits"], theirs.Rows.Select(r => r["description"]));
        Assert.Equal(("4,312.75", "9"), (theirs.Remaining, theirs.Used));
    }

    [Fact]
    public async Task A_grant_is_usable_through_its_expiry_day_then_shows_expired_with_its_remainder_forfeited()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 31, 20, 0, 0, TimeSpan.Zero));
        await using var host = new SqlitePortalFactory { Clock = clock };
        var customer = await CreditsCustomer.SignUpAsync(host);
        await customer.GrantAsync("Welcome credits", 100m, new DateOnly(2026, 3, 31), used: 35m, grantedDaysAgo: 90);
        await customer.GrantAsync("Chaos Cloud credits — order INV-2026-000007", 200m, new DateOnly(2026, 12, 31), used: 50m);
        await customer.GrantAsync("Render challenge prize", 40m, new DateOnly(2026, 3, 31), used: 40m, grantedDaysAgo: 60);

        var lastDay = new CreditsPage(await customer.CreditsPageAsync());
        Assert.Equal(("Active", "Used up"), (lastDay.Row("Welcome credits")["status"], lastDay.Row("Render challenge prize")["status"]));
        Assert.Equal(("215", "125"), (lastDay.Remaining, lastDay.Used));

        clock.SetUtcNow(new DateTimeOffset(2026, 4, 1, 0, 30, 0, TimeSpan.Zero));
        var nextDay = new CreditsPage(await customer.CreditsPageAsync());

        var welcome = nextDay.Row("Welcome credits");
        Assert.Equal(("Expired", "35", "0 65 forfeited"), (welcome["status"], welcome["used"], welcome["remaining"]));
        Assert.Equal(("Expired", "0"), (nextDay.Row("Render challenge prize")["status"], nextDay.Row("Render challenge prize")["remaining"]));   // nothing left to forfeit
        Assert.Equal("Active", nextDay.Row("Chaos Cloud credits — order INV-2026-000007")["status"]);
        Assert.Equal(("150", "50"), (nextDay.Remaining, nextDay.Used));   // totals leave expired grants out
        Assert.Contains("150 of them must be used by 2026-12-31 (UTC).", nextDay.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_rendering_opens_the_catalogs_chaos_cloud_address_in_a_new_tab_when_none_is_configured()
    {
        var customer = await CreditsCustomer.SignUpAsync(factory);
        await customer.GrantAsync("Included with V-Ray Premium annual", 500m, customer.Today.AddDays(100));

        var page = new CreditsPage(await customer.CreditsPageAsync());

        Assert.Equal("<a class=\"btn btn-primary\" href=\"https://cloud.chaos.com\" target=\"_blank\" rel=\"noopener\" data-testid=\"start-rendering\">", page.StartRendering);
        Assert.True(page.Html.IndexOf("data-testid=\"start-rendering\"", StringComparison.Ordinal) > page.Html.IndexOf("data-testid=\"credits-table\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_rendering_uses_the_configured_address()
    {
        await using var host = new SqlitePortalFactory();
        host.With("CloudCredits:StartRenderingUrl", "https://render.example.test/start?from=portal");
        var customer = await CreditsCustomer.SignUpAsync(host);

        var page = new CreditsPage(await customer.CreditsPageAsync());

        Assert.Contains("href=\"https://render.example.test/start?from=portal\" target=\"_blank\" rel=\"noopener\"", page.StartRendering, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customer_without_credits_is_told_so_and_can_still_start_rendering()
    {
        var customer = await CreditsCustomer.SignUpAsync(factory);

        var page = new CreditsPage(await customer.CreditsPageAsync());

        Assert.True(page.IsEmpty);
        Assert.Contains("No cloud credits yet", page.Html, StringComparison.Ordinal);
        Assert.False(page.HasTable);
        Assert.Null(page.Remaining);
        Assert.NotNull(page.StartRendering);
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        var response = await factory.CreatePortalClient().GetAsync(new Uri(Path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/sign-in?ReturnUrl=%2Fproducts%2Fcloud-credits", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_demo_customer_has_a_partly_used_an_unused_and_an_expired_grant_seeded_once()
    {
        var demo = new PortalClient(factory.CreatePortalClient());
        await demo.SignInAsync(factory.DemoEmail, factory.DemoPassword);

        var page = new CreditsPage(PortalClient.Decode(await demo.GetPageAsync(Path)));

        Assert.Equal(["Expired", "Active", "Active"], page.Rows.Select(r => r["status"]));
        Assert.Contains(page.Rows, r => r["status"] == "Active" && r["used"] != "0");
        Assert.Contains(page.Rows, r => r["status"] == "Active" && r["used"] == "0");
        Assert.Equal(("617.5", "182.5"), (page.Remaining, page.Used));
        // The seeded use is recorded as debits, as a rendering service records it: the monthly chart shows it.
        Assert.Contains("217.5 in all.", page.Html, StringComparison.Ordinal);   // 182.5 this month, 35 ten months ago

        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CloudCreditsSeeder>().SeedAsync(CancellationToken.None);
        var demoId = (await scope.ServiceProvider.GetRequiredService<ChaosModular.Accounts.Contracts.IAccountsApi>().FindCustomerByEmailAsync(factory.DemoEmail, CancellationToken.None))!.UserId;
        Assert.Equal(3, await scope.ServiceProvider.GetRequiredService<CloudCreditsDbContext>().Grants.CountAsync(g => g.CustomerId == demoId));
        Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<CloudCreditsDbContext>().Debits.CountAsync(d => d.UserId == demoId));
    }

    [Fact]
    public async Task The_api_gives_other_modules_each_grants_balance_and_status()
    {
        var customer = await CreditsCustomer.SignUpAsync(factory);
        var today = customer.Today;
        var expired = await customer.GrantAsync("Welcome credits", 100m, today.AddDays(-1), used: 30m, grantedDaysAgo: 100);
        var active = await customer.GrantAsync("Included with Chaos Vantage annual", 250m, today, used: 0.25m);

        await using var scope = factory.Services.CreateAsyncScope();
        var api = scope.ServiceProvider.GetRequiredService<ICloudCreditsApi>();
        var balances = await api.BalancesAsync(customer.UserId, CancellationToken.None);

        Assert.Equal([expired, active], balances.Select(b => b.GrantId));
        Assert.Equal((CreditStatus.Expired, 70m, 0m, 70m), (balances[0].Status, balances[0].Remaining, balances[0].Available, balances[0].Forfeited));
        Assert.Equal((CreditStatus.Active, 249.75m, 249.75m, 0m), (balances[1].Status, balances[1].Remaining, balances[1].Available, balances[1].Forfeited));
        Assert.Empty(await api.BalancesAsync("no-such-customer", CancellationToken.None));
    }
}

/// <summary>The same page on the real server: dates, decimals and ordering as PostgreSQL stores them.</summary>
public sealed class PostgresCloudCreditsPagesTests(PostgresPortalFactory factory) : IClassFixture<PostgresPortalFactory>
{
    [Fact]
    public async Task A_customer_sees_their_grants_soonest_expiry_first()
    {
        var customer = await CreditsCustomer.SignUpAsync(factory);
        var today = customer.Today;
        await customer.GrantAsync("Included with V-Ray Premium annual", 500m, today.AddDays(200), used: 120.5m);
        await customer.GrantAsync("Welcome credits", 100m, today.AddDays(-1), used: 40m, grantedDaysAgo: 100);
        await customer.GrantAsync("Chaos Cloud credits — order INV-2026-000042", 75.25m, today);

        var page = new CreditsPage(await customer.CreditsPageAsync());

        Assert.Equal([("Welcome credits", "Expired"), ("Chaos Cloud credits — order INV-2026-000042", "Active"), ("Included with V-Ray Premium annual", "Active")],
            page.Rows.Select(r => (r["description"], r["status"])));
        Assert.Equal(("454.75", "120.5"), (page.Remaining, page.Used));
        Assert.Equal(today.ToString("yyyy-MM-dd"), page.Row("Chaos Cloud credits — order INV-2026-000042")["expires-on"]);
    }
}
