using ChaosModular.CloudCredits;
using ChaosModular.CloudCredits.Contracts;
using ChaosModular.CloudCredits.Domain;
using Microsoft.Extensions.Options;

namespace ChaosModular.UnitTests.CloudCredits;

public sealed class CloudCreditsRulesTests
{
    private static readonly DateTime Granted = new(2026, 1, 10, 9, 0, 0, DateTimeKind.Utc);
    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-03-30", 0, CreditStatus.Active)]
    [InlineData("2026-03-31", 0, CreditStatus.Active)]      // the expiry day itself still counts
    [InlineData("2026-04-01", 0, CreditStatus.Expired)]
    [InlineData("2026-03-31", 100, CreditStatus.UsedUp)]
    [InlineData("2026-04-01", 100, CreditStatus.Expired)]   // expired wins, with nothing forfeited
    public void Status_follows_the_expiry_day_and_what_is_left(string today, int used, CreditStatus expected)
    {
        var grant = CreditGrant.Grant("c1", "Welcome credits", 100m, Granted, D("2026-03-31"));
        if (used > 0)
        {
            grant.Use(used, D("2026-02-01"));
        }

        Assert.Equal(expected, grant.StatusOn(D(today)));
    }

    [Fact]
    public void An_expired_grant_forfeits_what_remains_and_has_nothing_available()
    {
        var grant = CreditGrant.Grant("c1", "Welcome credits", 100m, Granted, D("2026-03-31"));
        grant.Use(35m, D("2026-02-01"));

        var before = grant.BalanceOn(D("2026-03-31"));
        var after = grant.BalanceOn(D("2026-04-01"));

        Assert.Equal((65m, 65m, 0m), (before.Remaining, before.Available, before.Forfeited));
        Assert.Equal((65m, 0m, 65m), (after.Remaining, after.Available, after.Forfeited));
    }

    [Fact]
    public void Using_more_than_remains_or_after_expiry_is_refused_and_changes_nothing()
    {
        var grant = CreditGrant.Grant("c1", "Welcome credits", 100m, Granted, D("2026-03-31"));
        grant.Use(99.5m, D("2026-03-31"));

        Assert.Throws<InvalidOperationException>(() => grant.Use(0.75m, D("2026-03-31")));
        Assert.Throws<InvalidOperationException>(() => grant.Use(0.5m, D("2026-04-01")));
        Assert.Throws<ArgumentOutOfRangeException>(() => grant.Use(0m, D("2026-03-31")));
        Assert.Equal(0.5m, grant.Remaining);
    }

    [Fact]
    public void A_grant_needs_credits_a_description_and_an_expiry_not_before_it_is_granted()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CreditGrant.Grant("c1", "Nothing", 0m, Granted, D("2026-03-31")));
        Assert.Throws<ArgumentException>(() => CreditGrant.Grant("c1", " ", 10m, Granted, D("2026-03-31")));
        Assert.Throws<ArgumentException>(() => CreditGrant.Grant("c1", "Backdated", 10m, Granted, D("2026-01-09")));
        Assert.Throws<ArgumentException>(() => CreditGrant.Grant("c1", new string('x', CreditGrant.MaxDescriptionLength + 1), 10m, Granted, D("2026-03-31")));
        Assert.Equal(D("2026-01-10"), CreditGrant.Grant("c1", "Same day", 10m, Granted, D("2026-01-10")).ExpiresOn);
    }

    [Theory]
    [InlineData(1250, "1,250")]
    [InlineData(120.5, "120.5")]
    [InlineData(0.25, "0.25")]
    [InlineData(0, "0")]
    public void Credits_are_shown_as_counts_without_a_currency(decimal credits, string shown)
    {
        Assert.Equal(shown, CreditUnits.Format(credits));
    }

    [Theory]
    [InlineData(0, 500, 0)]
    [InlineData(120.5, 500, 24)]
    [InlineData(2.5, 1000, 0)]
    [InlineData(997.5, 1000, 99)]
    [InlineData(500, 500, 100)]
    public void The_usage_bar_shows_whole_percent(decimal used, decimal amount, int percent)
    {
        Assert.Equal(percent, CreditUnits.PercentUsed(used, amount));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("https://cloud.chaos.com", true)]
    [InlineData("http://render.local:8080/start", true)]
    [InlineData("cloud.chaos.com", false)]
    [InlineData("ftp://cloud.chaos.com", false)]
    [InlineData("javascript:alert(1)", false)]
    public void Start_rendering_url_must_be_a_web_address_when_set(string? url, bool valid)
    {
        var result = new CloudCreditsOptionsValidator().Validate(null, new CloudCreditsOptions { StartRenderingUrl = url });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains($"CloudCredits:StartRenderingUrl '{url}' must be an absolute http(s) URL", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_bad_start_rendering_url_stops_start_up_naming_the_setting()
    {
        using var factory = new SqlitePortalFactory();
        factory.With("CloudCredits:StartRenderingUrl", "cloud.chaos.com");

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var validation = Enumerable.Repeat(error, 1).Concat(Inner(error)).OfType<OptionsValidationException>().FirstOrDefault();
        Assert.NotNull(validation);
        Assert.Contains("CloudCredits:StartRenderingUrl 'cloud.chaos.com' must be an absolute http(s) URL", validation.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Inner(Exception error)
    {
        for (var e = error.InnerException; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
