using System.Net;
using System.Text.Json;
using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Accounts.Data;
using ChaosModular.Notifications.Data;
using ChaosModular.Notifications.IntegrationEventHandlers;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Notifications.Templates;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Accounts;

/// <summary>A portal whose clock the tests move, so confirmation links can expire.</summary>
public sealed class EmailConfirmationPortalFactory : SqlitePortalFactory
{
    public EmailConfirmationPortalFactory() => Clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero));
}

/// <summary>
/// Email confirmation: sign-up answers the same for a new and a taken address and signs no one in; an unconfirmed account
/// can sign in but is sent to "confirm first" when it tries to pay or buy; the emailed link confirms; it can be sent again.
/// </summary>
public sealed class EmailConfirmationTests(EmailConfirmationPortalFactory factory) : IClassFixture<EmailConfirmationPortalFactory>
{
    private const string Password = "Confirming2026x";

    private FakeTimeProvider Clock => (FakeTimeProvider)factory.Clock!;

    private PortalClient NewClient() => new(factory.CreatePortalClient());

    private static string UniqueEmail() => $"confirm-{Guid.NewGuid():N}@example.test";

    private static async Task<string> Text(HttpResponseMessage response) => PortalClient.Decode(await response.Content.ReadAsStringAsync());

    private static string MainOf(string page) => page[page.IndexOf("<main", StringComparison.Ordinal)..page.IndexOf("</main>", StringComparison.Ordinal)];

    /// <summary>The payloads of the events of one type published for an address, oldest first.</summary>
    private async Task<List<JsonElement>> EventsFor(string type, string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        var payloads = await db.Set<OutboxMessage>().Where(m => m.Type.EndsWith(type)).Select(m => m.Payload).ToListAsync();
        return [.. payloads.Select(p => JsonDocument.Parse(p).RootElement)
            .Where(e => e.GetProperty("Email").GetString() == email)
            .OrderBy(e => e.GetProperty("OccurredUtc").GetDateTime())];
    }

    /// <summary>The link of the newest confirmation email to <paramref name="email"/>, as Notifications writes it.</summary>
    private async Task<string> LinkFor(string email)
    {
        var requested = (await EventsFor("EmailConfirmationRequested", email))[^1];
        return $"/confirm-email?user={Uri.EscapeDataString(requested.GetProperty("UserId").GetString()!)}&token={Uri.EscapeDataString(requested.GetProperty("Token").GetString()!)}";
    }

    private async Task<bool> ConfirmedAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Users.Where(u => u.Email == email).Select(u => u.EmailConfirmed).SingleAsync();
    }

    [Fact]
    public async Task Sign_up_with_a_new_or_a_taken_address_gives_the_same_answer_and_only_the_owner_of_the_taken_one_hears_of_it()
    {
        var taken = UniqueEmail();
        await NewClient().SignUpAsync("First Owner", taken, Password);
        var fresh = UniqueEmail();

        var newcomer = NewClient();
        var forFresh = await newcomer.SubmitSignUpAsync("New Person", fresh, Password);
        var intruder = NewClient();
        var forTaken = await intruder.SubmitSignUpAsync("Someone Else", taken, "Different2026y");

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (forFresh.StatusCode, forTaken.StatusCode));
        Assert.Equal("/sign-up/check-email", forFresh.Headers.Location!.OriginalString);
        Assert.Equal("/sign-up/check-email", forTaken.Headers.Location!.OriginalString);
        var freshPage = MainOf(PortalClient.Decode(await newcomer.GetPageAsync("/sign-up/check-email")));
        var takenPage = MainOf(PortalClient.Decode(await intruder.GetPageAsync("/sign-up/check-email")));
        Assert.Contains($"We sent an email to <strong>{fresh}</strong>. Open the link in it to confirm your address.", freshPage, StringComparison.Ordinal);
        Assert.Equal(freshPage.Replace(fresh, "ADDRESS", StringComparison.Ordinal), takenPage.Replace(taken, "ADDRESS", StringComparison.Ordinal));

        // Neither is signed in by sign-up.
        Assert.Equal(HttpStatusCode.Redirect, (await newcomer.GetAsync("/account")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await intruder.GetAsync("/account")).StatusCode);

        // The new address got an unconfirmed account and a link; the taken one no second account, its owner a notice.
        Assert.False(await ConfirmedAsync(fresh));
        Assert.Single(await EventsFor("EmailConfirmationRequested", fresh));
        Assert.Empty(await EventsFor("SignUpWithTakenEmail", fresh));
        Assert.Single(await EventsFor("SignUpWithTakenEmail", taken));
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Users.CountAsync(u => u.Email == taken));
        Assert.Equal(HttpStatusCode.Redirect, (await NewClient().SignInAsync(taken, Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NewClient().SignInAsync(taken, "Different2026y")).StatusCode);
    }

    [Fact]
    public async Task A_weak_password_is_refused_in_the_same_words_whether_or_not_the_address_has_an_account()
    {
        var taken = UniqueEmail();
        await NewClient().SignUpAsync("First Owner", taken, Password);

        var forTaken = await NewClient().SubmitSignUpAsync("Weak", taken, "short");
        var forFresh = await NewClient().SubmitSignUpAsync("Weak", UniqueEmail(), "short");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (forTaken.StatusCode, forFresh.StatusCode));
        var errors = MainOf(await Text(forTaken));
        Assert.Contains("Passwords must be at least 10 characters.", errors, StringComparison.Ordinal);
        Assert.Empty(await EventsFor("SignUpWithTakenEmail", taken));
        Assert.Equal(ErrorSummary(errors), ErrorSummary(MainOf(await Text(forFresh))));

        static string ErrorSummary(string page)
        {
            var start = page.IndexOf("data-testid=\"sign-up-errors\"", StringComparison.Ordinal);
            return page[start..page.IndexOf("</div>", start, StringComparison.Ordinal)];
        }
    }

    [Fact]
    public async Task An_unconfirmed_account_signs_in_sees_the_banner_and_is_sent_to_confirm_first_when_it_tries_to_pay_or_buy()
    {
        var email = UniqueEmail();
        var client = NewClient();
        await client.SubmitSignUpAsync("Not Yet", email, Password);

        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, Password)).StatusCode);
        var account = PortalClient.Decode(await client.GetPageAsync("/account"));
        Assert.Contains("data-testid=\"confirm-email-banner\"", account, StringComparison.Ordinal);
        Assert.Contains($"Confirm your email address: open the link we sent to <strong>{email}</strong>.", account, StringComparison.Ordinal);

        // Refused before anything is looked up: any subscription or cart id gets the same answer.
        foreach (var path in new[] { "/billing/pay?all=true", $"/products/cart/{Guid.NewGuid()}", $"/products/{Guid.NewGuid()}/add-seats", $"/products/{Guid.NewGuid()}/upgrade" })
        {
            var refused = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Equal($"/account/confirm-email?returnUrl={Uri.EscapeDataString(path)}", refused.Headers.Location!.OriginalString);
        }
        var needed = PortalClient.Decode(await client.GetPageAsync("/account/confirm-email?returnUrl=%2Fbilling%2Fpay%3Fall%3Dtrue"));
        Assert.Contains("Paying, inviting people and joining an organization need a confirmed email address.", needed, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"confirm-email-banner\"", needed, StringComparison.Ordinal);

        // The link opened in another browser (the mail app's): the signed-in session sees it on its next page.
        var link = await LinkFor(email);
        Assert.Contains("data-testid=\"email-confirmed\"", await NewClient().GetPageAsync(link), StringComparison.Ordinal);
        Assert.True(await ConfirmedAsync(email));
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.DoesNotContain("data-testid=\"confirm-email-banner\"", await client.GetPageAsync("/account"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/billing/pay?all=true")).StatusCode);
        var back = PortalClient.Decode(await client.GetPageAsync("/account/confirm-email?returnUrl=%2Fbilling%2Fpay%3Fall%3Dtrue"));
        Assert.Contains("href=\"/billing/pay?all=true\"", back, StringComparison.Ordinal);
        // Opening the link again is harmless.
        Assert.Contains("data-testid=\"email-confirmed\"", await NewClient().GetPageAsync(link), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_link_can_be_sent_again_expires_after_three_days_and_a_tampered_or_someone_elses_never_confirms()
    {
        var email = UniqueEmail();
        var client = NewClient();
        await client.SubmitSignUpAsync("Slow Reader", email, Password);
        await client.SignInAsync(email, Password);
        var first = await LinkFor(email);
        var other = UniqueEmail();
        await NewClient().SubmitSignUpAsync("Other Person", other, Password);
        var othersToken = new Uri("http://x" + await LinkFor(other)).Query.Split("&token=")[1];

        Assert.Contains("data-testid=\"confirm-email-invalid\"", await NewClient().GetPageAsync(first[..^3] + (first[^3..] == "AAA" ? "BBB" : "AAA")), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"confirm-email-invalid\"", await NewClient().GetPageAsync(first.Split("&token=")[0] + "&token=" + othersToken), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"confirm-email-invalid\"", await NewClient().GetPageAsync("/confirm-email"), StringComparison.Ordinal);
        Assert.False(await ConfirmedAsync(email));

        Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        Assert.Contains("This link has expired or is not complete.", PortalClient.Decode(await NewClient().GetPageAsync(first)), StringComparison.Ordinal);
        Assert.False(await ConfirmedAsync(email));

        // Three days on, the session has long expired: the customer signs in again and asks for a new link.
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, Password)).StatusCode);
        var resend = await client.Http.PostAsync(new Uri("/account/confirm-email?handler=Resend", UriKind.Relative),
            new FormUrlEncodedContent(PortalClient.HiddenFields(await client.GetPageAsync("/account/confirm-email")).DistinctBy(f => f.Key)));
        Assert.Equal(HttpStatusCode.Redirect, resend.StatusCode);
        Assert.Contains($"We sent a new confirmation link to {email}. It works for 3 days.", PortalClient.Decode(await client.GetPageAsync(resend.Headers.Location!.OriginalString)), StringComparison.Ordinal);
        Assert.Equal(2, (await EventsFor("EmailConfirmationRequested", email)).Count);

        Assert.Contains("data-testid=\"email-confirmed\"", await NewClient().GetPageAsync(await LinkFor(email)), StringComparison.Ordinal);
        Assert.True(await ConfirmedAsync(email));
        Assert.False(await ConfirmedAsync(other));
    }

    [Fact]
    public async Task Filling_in_sign_up_with_someones_address_again_and_again_sends_them_one_notice_an_hour()
    {
        var userId = Guid.NewGuid().ToString();
        var address = UniqueEmail();
        var at = new DateTime(2026, 11, 3, 9, 5, 0, DateTimeKind.Utc);
        foreach (var minutes in new[] { 0, 20, 54, 55 })
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<NoticeOnSignUpWithTakenEmail>();
            await handler.HandleAsync(new SignUpWithTakenEmail(Guid.NewGuid(), at.AddMinutes(minutes), userId, address, "Owner"), CancellationToken.None);
        }

        await using var check = factory.Services.CreateAsyncScope();
        var keys = await check.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails
            .Where(e => e.ToAddress == address).Select(e => e.SourceKey).ToListAsync();
        // 09:05, 09:25 and 09:59 share the nine o'clock notice; 10:00 is the next hour's.
        Assert.Equal([$"sign-up-with-taken-email:{userId}:2026110309", $"sign-up-with-taken-email:{userId}:2026110310"], keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_emails_carry_the_confirmation_link_and_the_notice_points_to_sign_in()
    {
        var templates = new EmailTemplates(Options.Create(new EmailLinksOptions { PortalBaseUrl = "https://portal.example.test/" }));

        var link = await templates.RenderAsync(new EmailConfirmationEmail("k", "a@example.test", "Ada", "user-1", "tok_en-1", new DateTime(2026, 11, 6, 9, 0, 0, DateTimeKind.Utc)));
        var notice = await templates.RenderAsync(new TakenEmailNoticeEmail("n", "a@example.test", "Ada", new DateTime(2026, 11, 3, 9, 0, 0, DateTimeKind.Utc)));

        Assert.Equal("Confirm your email address for ChaosModular", link.Subject);
        Assert.Contains("Confirm my email address: https://portal.example.test/confirm-email?user=user-1&token=tok_en-1", link.Text, StringComparison.Ordinal);
        Assert.Contains("The link works until 2026-11-06 09:00 (UTC).", link.Text, StringComparison.Ordinal);
        Assert.Equal("Someone tried to create a ChaosModular account with your address", notice.Subject);
        Assert.Contains("No new account was made and your account is unchanged.", notice.Text, StringComparison.Ordinal);
        Assert.Contains("Sign in: https://portal.example.test/sign-in", notice.Text, StringComparison.Ordinal);
    }
}
