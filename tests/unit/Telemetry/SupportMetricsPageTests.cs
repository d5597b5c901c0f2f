using System.Net;
using System.Text.RegularExpressions;
using ChaosModular.Notifications.Contracts;
using ChaosModular.Notifications.Templates;

namespace ChaosModular.UnitTests.Telemetry;

/// <summary>
/// Support › Metrics through the HTTP pipeline, on PostgreSQL with no job server (as Web runs beside a Worker):
/// a queued email stays unsent, so the page's queue length grows by exactly the email queued.
/// </summary>
public sealed partial class SupportMetricsPageTests(DemoPostgresPortalFactory factory) : IClassFixture<DemoPostgresPortalFactory>
{
    private async Task<PortalClient> SignedInAsync(string email, string password)
    {
        var client = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, password)).StatusCode);
        return client;
    }

    [Fact]
    public async Task Support_sees_the_unsent_email_the_requests_and_the_outbox_lag()
    {
        int before;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            // The demo seed's own emails wait too (no Worker sends them): the page shows them plus this one.
            before = await scope.ServiceProvider.GetRequiredService<ChaosModular.Notifications.Data.NotificationsDbContext>().Emails.CountAsync(e => e.SentUtc == null);
            await scope.ServiceProvider.GetRequiredService<INotificationsApi>().QueueEmailAsync(
                new WelcomeEmail($"metrics-test:{Guid.NewGuid():N}", "queued@example.test", "Queued Customer", "123456782"), CancellationToken.None);
        }
        var support = await SignedInAsync(factory.SupportEmail, factory.SupportPassword);

        var page = PortalClient.Decode(await support.GetPageAsync("/support/metrics"));

        Assert.Equal((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Shown(page, "chaosmodular.email.queue_length"));
        // The demo seed published events no Worker has dispatched: the lag is the age of the oldest (under a second when the
        // page is asked right after the host started).
        Assert.Matches(@"^\d+(h \d\dm|m \d\ds|s)$", Shown(page, "chaosmodular.outbox.lag"));
        // This host's own requests so far (the sign-in page and its post at least) are counted with percentiles.
        Assert.True(long.Parse(Shown(page, "requests"), System.Globalization.CultureInfo.InvariantCulture) >= 2);
        Assert.StartsWith("≤ ", Shown(page, "p95"), StringComparison.Ordinal);
        Assert.Contains("href=\"/support/metrics\">Metrics", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customer_is_refused_on_the_server()
    {
        var customer = await SignedInAsync(factory.DemoEmail, factory.DemoPassword);

        var response = await customer.GetAsync("/support/metrics");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden || response.Headers.Location?.OriginalString.StartsWith("/access-denied", StringComparison.Ordinal) == true,
            $"Expected 403 or the access-denied page, got {(int)response.StatusCode} {response.Headers.Location}");
        Assert.DoesNotContain("Unsent emails", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("/support/metrics", await customer.GetPageAsync("/products"), StringComparison.Ordinal);
    }

    /// <summary>Rounded to the second before the units are chosen (59.6 s is a minute, not "0s"); hours past a day stay hours.</summary>
    [Theory]
    [InlineData(0.0, "0s")]
    [InlineData(0.4, "0s")]
    [InlineData(42.0, "42s")]
    [InlineData(59.6, "1m 00s")]
    [InlineData(185.0, "3m 05s")]
    [InlineData(3599.6, "1h 00m")]
    [InlineData(93840.0, "26h 04m")]
    public void The_outbox_lag_reads_in_its_largest_units(double seconds, string shown) =>
        Assert.Equal(shown, new ChaosModular.Web.Features.SupportMetrics.BacklogRow("chaosmodular.outbox.lag", "Outbox lag", "s", seconds).Shown);

    [Fact]
    public void A_count_has_thousands_separators() =>
        Assert.Equal("12,345", new ChaosModular.Web.Features.SupportMetrics.BacklogRow("chaosmodular.email.queue_length", "Unsent emails", "", 12345).Shown);

    private static string Shown(string page, string testId)
    {
        var match = Regex.Match(page, $"data-testid=\"{Regex.Escape(testId)}\">([^<]*)<");
        Assert.True(match.Success, $"No {testId} on the page");
        return match.Groups[1].Value.Trim();
    }
}
