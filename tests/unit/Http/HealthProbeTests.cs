using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Http;

/// <summary>A portal with one extra health check the test switches between healthy and unhealthy, and counts.</summary>
public sealed class SwitchableHealthFactory : SqlitePortalFactory
{
    public SwitchableHealthFactory()
    {
        DemoData = true;
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        TestServices = services => services.AddHealthChecks().AddCheck("switch", () =>
        {
            Interlocked.Increment(ref _runs);
            return Healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("switched off");
        });
    }

    private int _runs;

    public bool Healthy { get; set; } = true;

    public int Runs => Volatile.Read(ref _runs);
}

/// <summary>Live says the process answers; ready says its databases and job storage do, cached a few seconds, detailed for Support only.</summary>
public sealed class HealthProbeTests(SwitchableHealthFactory factory) : IClassFixture<SwitchableHealthFactory>
{
    private PortalClient NewClient() => new(factory.CreatePortalClient());

    [Fact]
    public async Task Ready_fails_when_a_dependency_does_live_does_not_and_the_report_is_reused_for_five_seconds()
    {
        var client = NewClient();
        factory.Clock!.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("Healthy", await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync());
        var runs = factory.Runs;

        factory.Healthy = false;
        var cached = await client.GetAsync("/health/ready");
        Assert.Equal((HttpStatusCode.OK, runs), (cached.StatusCode, factory.Runs));

        factory.Clock.Advance(TimeSpan.FromSeconds(6));
        var ready = await client.GetAsync("/health/ready");
        var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(runs + 1, factory.Runs);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        factory.Healthy = true;
        factory.Clock.Advance(TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task Support_sees_each_check_and_a_customer_sees_only_the_word()
    {
        var support = NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await support.SignInAsync(factory.SupportEmail, factory.SupportPassword)).StatusCode);
        var customer = NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await customer.SignInAsync(factory.DemoEmail, factory.DemoPassword)).StatusCode);

        var detail = JsonDocument.Parse(await (await support.GetAsync("/health/ready")).Content.ReadAsStringAsync()).RootElement;
        var names = detail.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();

        Assert.Equal("Healthy", detail.GetProperty("status").GetString());
        Assert.Contains("database-accounts", names);
        Assert.Contains("database-billing", names);
        Assert.Contains("job-storage", names);
        Assert.Equal("Healthy", await (await customer.GetAsync("/health/ready")).Content.ReadAsStringAsync());
    }
}
