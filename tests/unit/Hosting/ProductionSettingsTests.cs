using System.Net;
using ChaosModular.Accounts.Data;
using ChaosModular.UnitTests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChaosModular.UnitTests.Hosting;

/// <summary>
/// Outside Development start-up refuses what is only safe on a developer's machine, unless the setting that allows it is
/// given by name (the test hosts give them all: <see cref="PortalFactory"/>). Here each is taken away in turn.
/// </summary>
public sealed class ProductionSettingsTests
{
    [Theory]
    [InlineData("Billing:Gateway", null, "Stripe:SecretKey is empty in the Testing environment")]
    [InlineData("Billing:Gateway", "Paypal", "Billing:Gateway is 'Paypal'; it must be Stripe, Simulated or empty.")]
    [InlineData("Billing:Gateway", "Stripe", "Billing:Gateway=Stripe needs Stripe:SecretKey")]
    [InlineData("Smtp:Delivery", null, "Smtp:Host is empty in the Testing environment: set it, or Smtp:Delivery=Pickup")]
    [InlineData("Hosting:LocalInstance", "false", "Seed:Demo=true in the Testing environment")]
    public void Outside_Development_an_unsafe_default_stops_start_up(string key, string? value, string message)
    {
        using var factory = new SqlitePortalFactory { DemoData = true };
        factory.With(key, value);

        var error = Unwrap(Assert.ThrowsAny<Exception>(() => factory.CreateClient()));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5080")]
    [InlineData("https://127.0.0.1")]
    [InlineData("http://[::1]:8080")]
    public void Outside_Development_a_loopback_portal_address_stops_start_up(string baseUrl)
    {
        using var factory = new SqlitePortalFactory();
        factory.With("Hosting:LocalInstance", "false").With("Seed:Demo", "false").With("Portal:BaseUrl", baseUrl);

        var error = Unwrap(Assert.ThrowsAny<Exception>(() => factory.CreateClient()));

        Assert.Contains($"Portal:BaseUrl '{baseUrl}' is a loopback address in the Testing environment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Simulated_gateway_asked_for_next_to_a_Stripe_key_stops_start_up()
    {
        using var factory = new SqlitePortalFactory();
        factory.With("Stripe:SecretKey", "sk_test_x").With("Stripe:WebhookSecret", "whsec_x").With("Stripe:PublishableKey", "pk_test_x");

        var error = Unwrap(Assert.ThrowsAny<Exception>(() => factory.CreateClient()));

        Assert.Contains("Billing:Gateway=Simulated while Stripe:SecretKey is set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_with_its_real_settings_starts_and_shows_no_test_payment_banner()
    {
        using var factory = new SqlitePortalFactory { EnvironmentName = "Production" };
        factory.With("Hosting:LocalInstance", "false").With("Seed:Demo", "false").With("Portal:BaseUrl", "https://portal.example.com")
            .With("Billing:Gateway", null).With("Stripe:SecretKey", "sk_live_x").With("Stripe:WebhookSecret", "whsec_x").With("Stripe:PublishableKey", "pk_test_x")
            .With("Smtp:Delivery", null).With("Smtp:Host", "smtp.example.com")
            .With("Licensing:Signing:GenerateIfMissing", "true");

        var page = await factory.CreatePortalClient().GetStringAsync(new Uri("/sign-in", UriKind.Relative));

        Assert.DoesNotContain("test-payments-banner", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Development_the_defaults_start_and_every_page_says_payments_are_simulated()
    {
        using var factory = new SqlitePortalFactory { EnvironmentName = "Development" };
        factory.With("Hosting:LocalInstance", "false").With("Billing:Gateway", null).With("Smtp:Delivery", null).With("Portal:BaseUrl", "http://localhost:5080");

        var page = PortalClient.Decode(await factory.CreatePortalClient().GetStringAsync(new Uri("/sign-in", UriKind.Relative)));

        Assert.Contains("Test payments:</strong> no real card is charged.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Simulated_gateway_asked_for_outside_Development_is_announced_on_every_page()
    {
        using var factory = new SqlitePortalFactory { DemoData = true };
        var client = new PortalClient(factory.CreatePortalClient());

        var signIn = PortalClient.Decode(await client.GetPageAsync("/sign-in"));
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(factory.DemoEmail, factory.DemoPassword)).StatusCode);
        var pay = PortalClient.Decode(await client.GetPageAsync("/billing"));

        Assert.Contains("Test payments:</strong> no real card is charged.", signIn, StringComparison.Ordinal);
        Assert.Contains("Test payments:</strong> no real card is charged.", pay, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seeding_the_demo_users_outside_Development_writes_no_password_to_the_log()
    {
        var logs = new CapturedLogs();
        using var factory = new SqlitePortalFactory { DemoData = true, TestServices = services => services.AddSingleton<ILoggerProvider>(logs) };
        factory.With("Logging:LogLevel:Default", "Trace");

        _ = factory.CreatePortalClient();

        var seed = factory.Services.GetRequiredService<IOptions<SeedOptions>>().Value;
        Assert.True(seed.Demo);
        Assert.Contains(logs.Messages, m => m.Contains("Seeded a", StringComparison.Ordinal));
        foreach (var password in new[] { seed.DemoCustomerPassword, seed.SupportPassword, seed.DemoMemberPassword })
        {
            Assert.DoesNotContain(logs.Messages, m => m.Contains(password, StringComparison.Ordinal));
        }
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
