using System.Net;
using System.Text.Json;
using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Accounts.Data;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Notifications.Templates;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Accounts;

/// <summary>A portal whose clock the tests move, so reset links can expire.</summary>
public sealed class PasswordResetPortalFactory : SqlitePortalFactory
{
    public PasswordResetPortalFactory() => Clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
}

/// <summary>Forgot password: the same answer for any address, a single-use link that expires, other sessions signed out.</summary>
public sealed class PasswordResetTests(PasswordResetPortalFactory factory) : IClassFixture<PasswordResetPortalFactory>
{
    private const string Original = "Original2026x";
    private const string Replacement = "Replaced2026y";

    private static async Task<string> Text(HttpResponseMessage response) => PortalClient.Decode(await response.Content.ReadAsStringAsync());

    private async Task<string> SignedUpAsync()
    {
        var email = $"reset-{Guid.NewGuid():N}@example.test";
        Assert.Equal(HttpStatusCode.Redirect, (await new PortalClient(factory.CreatePortalClient()).SignUpAsync("Reset Person", email, Original)).StatusCode);
        return email;
    }

    private static Task<HttpResponseMessage> AskForLink(PortalClient client, string email) =>
        client.SubmitAsync("/forgot-password", new Dictionary<string, string> { ["Form.Email"] = email });

    private static Task<HttpResponseMessage> SetPassword(PortalClient client, string link, string password, string? confirm = null) =>
        client.SubmitAsync(link, new Dictionary<string, string> { ["Form.NewPassword"] = password, ["Form.ConfirmPassword"] = confirm ?? password });

    /// <summary>Posts a new password to a link whose page shows no form (used or expired): the token comes from another form.</summary>
    private static async Task<HttpResponseMessage> PostToDeadLink(PortalClient client, string link, string password)
    {
        var token = PortalClient.HiddenFields(await client.GetPageAsync("/forgot-password")).First(f => f.Key == "__RequestVerificationToken");
        return await client.Http.PostAsync(new Uri(link, UriKind.Relative), new FormUrlEncodedContent(
            [token, new("Form.NewPassword", password), new("Form.ConfirmPassword", password)]));
    }

    /// <summary>The reset events published for an address (what Notifications turns into emails), oldest first.</summary>
    private async Task<List<JsonElement>> ResetEventsFor(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        var payloads = await db.Set<OutboxMessage>().Where(m => m.Type.Contains("PasswordResetRequested")).Select(m => m.Payload).ToListAsync();
        return [.. payloads.Select(p => JsonDocument.Parse(p).RootElement)
            .Where(e => e.GetProperty("Email").GetString() == email)
            .OrderBy(e => e.GetProperty("OccurredUtc").GetDateTime())];
    }

    private async Task<string> LinkFor(string email)
    {
        var reset = (await ResetEventsFor(email))[^1];
        return $"/reset-password?user={Uri.EscapeDataString(reset.GetProperty("UserId").GetString()!)}&token={Uri.EscapeDataString(reset.GetProperty("Token").GetString()!)}";
    }

    [Fact]
    public async Task Sign_in_links_to_forgot_password_and_any_address_gets_the_same_answer_but_only_an_account_gets_a_link()
    {
        var email = await SignedUpAsync();
        var unknown = $"nobody-{Guid.NewGuid():N}@example.test";
        var anonymous = new PortalClient(factory.CreatePortalClient());

        Assert.Contains("href=\"/forgot-password\"", await anonymous.GetPageAsync("/sign-in"), StringComparison.Ordinal);
        var known = await AskForLink(anonymous, email);
        var stranger = await AskForLink(anonymous, unknown);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (known.StatusCode, stranger.StatusCode));
        var knownText = await Text(known);
        Assert.Contains("If an account uses that email address, we have sent it a link to set a new password. The link works once, for one hour.", knownText, StringComparison.Ordinal);
        Assert.Equal(Answer(knownText), Answer(await Text(stranger)));
        Assert.Single(await ResetEventsFor(email));
        Assert.Empty(await ResetEventsFor(unknown));
        Assert.Contains("Enter a valid email address.", await Text(await AskForLink(anonymous, "not an address")), StringComparison.Ordinal);

        static string Answer(string page) => page[page.IndexOf("<main", StringComparison.Ordinal)..page.IndexOf("</main>", StringComparison.Ordinal)];
    }

    [Fact]
    public async Task The_link_sets_a_new_password_once_signs_out_every_session_and_sends_the_notice()
    {
        var email = await SignedUpAsync();
        var otherBrowser = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await otherBrowser.SignInAsync(email, Original)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await otherBrowser.GetAsync("/account")).StatusCode);
        var visitor = new PortalClient(factory.CreatePortalClient());
        await AskForLink(visitor, email);
        var link = await LinkFor(email);

        Assert.DoesNotContain("data-testid=\"reset-link-invalid\"", await visitor.GetPageAsync(link), StringComparison.Ordinal);
        Assert.Contains("The new passwords do not match.", await Text(await SetPassword(visitor, link, Replacement, "Different2026z")), StringComparison.Ordinal);
        Assert.Contains("at least one digit", await Text(await SetPassword(visitor, link, "NoDigitsHereAtAll")), StringComparison.Ordinal);
        var set = await SetPassword(visitor, link, Replacement);

        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal("/sign-in", set.Headers.Location!.OriginalString);
        // The portal's clock stands still in these tests; the other browser's next page comes a moment later.
        factory.Clock!.Advance(TimeSpan.FromSeconds(1));
        var signedOut = await otherBrowser.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith("/sign-in", signedOut.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await new PortalClient(factory.CreatePortalClient()).SignInAsync(email, Original)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await new PortalClient(factory.CreatePortalClient()).SignInAsync(email, Replacement)).StatusCode);

        // Used once: the same link now says so and changes nothing.
        Assert.Contains("This link has expired or was already used.", PortalClient.Decode(await visitor.GetPageAsync(link)), StringComparison.Ordinal);
        var again = await PostToDeadLink(new PortalClient(factory.CreatePortalClient()), link, "Another2026zz");
        Assert.Contains("This link has expired or was already used.", await Text(again), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await new PortalClient(factory.CreatePortalClient()).SignInAsync(email, Replacement)).StatusCode);

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        Assert.Single(await PublishedEvents.OfAsync<PasswordChanged>(db, e => e.UserId == userId));
    }

    [Fact]
    public async Task A_link_expires_after_an_hour_and_a_tampered_one_never_works()
    {
        var email = await SignedUpAsync();
        var visitor = new PortalClient(factory.CreatePortalClient());
        await AskForLink(visitor, email);
        var link = await LinkFor(email);

        Assert.DoesNotContain("data-testid=\"reset-link-invalid\"", await visitor.GetPageAsync(link), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"reset-link-invalid\"", await visitor.GetPageAsync(link[..^3] + (link[^3..] == "AAA" ? "BBB" : "AAA")), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"reset-link-invalid\"", await visitor.GetPageAsync("/reset-password"), StringComparison.Ordinal);

        factory.Clock!.Advance(TimeSpan.FromMinutes(61));

        Assert.Contains("data-testid=\"reset-link-invalid\"", await visitor.GetPageAsync(link), StringComparison.Ordinal);
        var late = await PostToDeadLink(visitor, link, Replacement);
        Assert.Contains("This link has expired or was already used.", await Text(late), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await new PortalClient(factory.CreatePortalClient()).SignInAsync(email, Original)).StatusCode);
    }

    [Fact]
    public async Task The_email_carries_the_link_to_the_reset_page_with_its_expiry()
    {
        var templates = new EmailTemplates(Options.Create(new EmailLinksOptions { PortalBaseUrl = "https://portal.example.test/" }));

        var email = await templates.RenderAsync(new PasswordResetEmail("k", "a@example.test", "Ada", "user-1", "tok_en-1", new DateTime(2026, 11, 2, 10, 0, 0, DateTimeKind.Utc)));

        Assert.Equal("Set a new ChaosModular password", email.Subject);
        Assert.Contains("Set a new password: https://portal.example.test/reset-password?user=user-1&token=tok_en-1", email.Text, StringComparison.Ordinal);
        Assert.Contains("The link works once, until 2026-11-02 10:00 (UTC).", email.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"https://portal.example.test/reset-password?user=user-1&amp;token=tok_en-1\"", email.Html, StringComparison.Ordinal);
    }
}
