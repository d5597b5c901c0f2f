using Microsoft.Extensions.Options;

namespace ChaosModular.UnitTests.Hosting;

/// <summary>A bad setting stops start-up with a message that names it.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Database:Provider", "Oracle", "Database:Provider is 'Oracle'; it must be one of Sqlite, PostgreSql, SqlServer.")]
    [InlineData("ConnectionStrings:Sqlite", "Data Source=one-file.db", "ConnectionStrings:Sqlite must contain '{module}'")]
    [InlineData("Jobs:RunServerInWeb", "false", "Database:Provider=Sqlite keeps background jobs in Web's memory, so it needs Jobs:RunServerInWeb=true")]
    [InlineData("Jobs:DrainBatchSize", "0", "Jobs:DrainBatchSize (0) and Jobs:RenewalPageSize (1000) must be at least 1.")]
    [InlineData("Jobs:RenewalPageSize", "-5", "Jobs:DrainBatchSize (200) and Jobs:RenewalPageSize (-5) must be at least 1.")]
    [InlineData("Smtp:From", "not an address", "Smtp:From 'not an address' is not an email address")]
    [InlineData("Smtp:RetryDelaysSeconds", "10,soon", "Smtp:RetryDelaysSeconds '10,soon' must be 1 to 20 comma-separated whole seconds, each 1-86400")]
    [InlineData("Portal:BaseUrl", "portal.example", "Portal:BaseUrl 'portal.example' must be an absolute http(s) URL")]
    [InlineData("Support:HelpCenterUrl", "", "Support:HelpCenterUrl '' must be an absolute http(s) URL.")]
    public void A_bad_setting_is_named_at_start_up(string key, string value, string message)
    {
        using var factory = new SqlitePortalFactory();
        factory.With(key, value);

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var validation = Unwrap(error);
        Assert.Contains(message, validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Smtp_port_is_checked_when_a_host_is_set()
    {
        using var factory = new SqlitePortalFactory();
        factory.With("Smtp:Host", "mail.example").With("Smtp:Port", "70000");

        var error = Unwrap(Assert.ThrowsAny<Exception>(() => factory.CreateClient()));

        Assert.Contains("Smtp:Port 70000 is not a TCP port", error.Message, StringComparison.Ordinal);
    }

    private static Exception Unwrap(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is OptionsValidationException)
            {
                return e;
            }
        }
        return error;
    }
}
