using System.Net;
using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Accounts.Data;
using ChaosModular.Accounts.Domain;

namespace ChaosModular.UnitTests.Http;

/// <summary>Sign-up, sign-in, guards and antiforgery through the real HTTP pipeline, on each provider.</summary>
public abstract class AccountJourneyTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : PortalFactory
{
    private const string GoodPassword = "Rendering2026x";

    private PortalClient NewClient() => new(factory.CreatePortalClient());

    private static string UniqueEmail() => $"user-{Guid.NewGuid():N}@example.test";

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        foreach (var path in new[] { "/", "/products", "/account", "/billing", "/learning" })
        {
            var response = await NewClient().GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/sign-in", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Sign_up_creates_the_customer_with_a_customer_number_shown_once_signed_in()
    {
        var client = NewClient();
        var email = UniqueEmail();

        // Create account, the emailed link, Sign in (PortalClient.SignUpAsync does the three).
        var response = await client.SignUpAsync("Ada Render", email, GoodPassword, "BG");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/sign-up/check-email", response.Headers.Location!.OriginalString);
        var account = PortalClient.Decode(await client.GetPageAsync("/account"));
        Assert.Contains(email, account, StringComparison.Ordinal);
        Assert.Contains("Ada Render", account, StringComparison.Ordinal);

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        Assert.True(CustomerNumber.IsValid(user.CustomerNumber));
        Assert.Contains(user.CustomerNumber, account, StringComparison.Ordinal);
        Assert.Equal("BG", user.Country);
        var registered = Assert.Single(await PublishedEvents.OfAsync<CustomerRegistered>(db, e => e.UserId == user.Id));
        Assert.Equal((email, user.CustomerNumber), (registered.Email, registered.CustomerNumber));
        Assert.Single(await PublishedEvents.OfAsync<EmailConfirmationRequested>(db, e => e.UserId == user.Id));
        Assert.True(user.EmailConfirmed);
    }

    [Fact]
    public async Task Sign_up_with_a_taken_email_creates_nothing_and_a_weak_password_explains_why()
    {
        var email = UniqueEmail();
        Assert.Equal(HttpStatusCode.Redirect, (await NewClient().SignUpAsync("First", email, GoodPassword)).StatusCode);

        // Answered as for a new address (EmailConfirmationTests), so the form tells no one who has an account.
        var taken = await NewClient().SubmitSignUpAsync("Second", email, GoodPassword);
        Assert.Equal("/sign-up/check-email", taken.Headers.Location!.OriginalString);

        var weakEmail = UniqueEmail();
        var weak = await NewClient().SubmitSignUpAsync("Weak", weakEmail, "short");
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains("at least 10 characters", PortalClient.Decode(await weak.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        Assert.Equal(1, await db.Users.CountAsync(u => u.Email == email));
        Assert.False(await db.Users.AnyAsync(u => u.Email == weakEmail));
    }

    [Fact]
    public async Task Sign_in_and_out()
    {
        var email = UniqueEmail();
        await NewClient().SignUpAsync("Sign Inner", email, GoodPassword);
        var client = NewClient();

        var signedIn = await client.SignInAsync(email, GoodPassword);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/products")).StatusCode);

        var signedOut = await client.SignOutAsync();
        Assert.Equal("/sign-in", signedOut.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/products")).StatusCode);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_even_for_the_right_password()
    {
        var email = UniqueEmail();
        await NewClient().SignUpAsync("Locked Out", email, GoodPassword);
        var client = NewClient();

        for (var i = 0; i < ChaosModular.Accounts.AccountsModule.MaxFailedSignIns; i++)
        {
            var wrong = await client.SignInAsync(email, "Wrong-password-1");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }
        var right = await client.SignInAsync(email, GoodPassword);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/account")).StatusCode);
    }

    [Fact]
    public async Task Hangfire_dashboard_is_for_support_only()
    {
        var anonymous = await NewClient().GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/sign-in", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var customer = NewClient();
        await customer.SignInAsync(factory.DemoEmail, factory.DemoPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/hangfire")).StatusCode);

        var support = NewClient();
        await support.SignInAsync(factory.SupportEmail, factory.SupportPassword);
        var dashboard = await support.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("ChaosModular jobs", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_without_antiforgery_token_is_rejected()
    {
        var client = NewClient();
        await client.GetAsync("/sign-in");

        var response = await client.Http.PostAsync(new Uri("/sign-in", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.Email"] = factory.DemoEmail,
            ["Form.Password"] = factory.DemoPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/ready")]
    [InlineData("/health/live")]
    public async Task Health_probes_answer_healthy_without_detail_to_anyone(string path)
    {
        var response = await NewClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}

public sealed class SqliteAccountJourneyTests(DemoSqlitePortalFactory factory) : AccountJourneyTests<DemoSqlitePortalFactory>(factory);

public sealed class PostgresAccountJourneyTests(DemoPostgresPortalFactory factory) : AccountJourneyTests<DemoPostgresPortalFactory>(factory);
