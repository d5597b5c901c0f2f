using System.Net;
using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Accounts.Data;

namespace ChaosModular.UnitTests.Accounts;

/// <summary>Password change through the page: current password required, policy enforced, other sessions signed out.</summary>
public sealed class ChangePasswordTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    private const string Original = "Original2026x";
    private const string Replacement = "Replaced2026y";

    private async Task<(PortalClient Client, string Email)> SignedUpAsync()
    {
        var email = $"pw-{Guid.NewGuid():N}@example.test";
        var client = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync("Password Person", email, Original)).StatusCode);
        return (client, email);
    }

    private static Task<HttpResponseMessage> Change(PortalClient client, string current, string next, string? confirm = null) =>
        client.SubmitAsync("/account/password", new Dictionary<string, string>
        {
            ["Form.CurrentPassword"] = current,
            ["Form.NewPassword"] = next,
            ["Form.ConfirmPassword"] = confirm ?? next,
        });

    private static async Task<string> Text(HttpResponseMessage response) => PortalClient.Decode(await response.Content.ReadAsStringAsync());

    [Fact]
    public async Task A_wrong_current_password_changes_nothing()
    {
        var (client, email) = await SignedUpAsync();

        var response = await Change(client, "Not-the-password1", Replacement);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The current password is not correct.", await Text(response), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await new PortalClient(factory.CreatePortalClient()).SignInAsync(email, Original)).StatusCode);
    }

    [Theory]
    [InlineData("Short1a", "at least 10 characters")]
    [InlineData("alllowercase1", "at least one uppercase")]
    [InlineData("ALLUPPERCASE1", "at least one lowercase")]
    [InlineData("NoDigitsHereAtAll", "at least one digit")]
    public async Task The_password_policy_is_enforced(string weak, string message)
    {
        var (client, _) = await SignedUpAsync();

        var response = await Change(client, Original, weak);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, await Text(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirmation_must_match_and_the_new_password_must_differ()
    {
        var (client, _) = await SignedUpAsync();

        Assert.Contains("The new passwords do not match.", await Text(await Change(client, Original, Replacement, "Different2026z")), StringComparison.Ordinal);
        Assert.Contains("must differ from the current one", await Text(await Change(client, Original, Original)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_signs_out_other_sessions_keeps_this_one_and_queues_the_notice()
    {
        var (client, email) = await SignedUpAsync();
        var otherBrowser = new PortalClient(factory.CreatePortalClient());
        await otherBrowser.SignInAsync(email, Original);
        Assert.Equal(HttpStatusCode.OK, (await otherBrowser.GetAsync("/account")).StatusCode);

        var response = await Change(client, Original, Replacement);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account")).StatusCode);
        var other = await otherBrowser.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        Assert.StartsWith("/sign-in", other.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await new PortalClient(factory.CreatePortalClient()).SignInAsync(email, Original)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await new PortalClient(factory.CreatePortalClient()).SignInAsync(email, Replacement)).StatusCode);

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        Assert.Single(await PublishedEvents.OfAsync<PasswordChanged>(db, e => e.UserId == userId));
    }

    [Fact]
    public async Task The_profile_can_be_edited_but_the_email_is_read_only()
    {
        var (client, email) = await SignedUpAsync();

        var saved = await client.SubmitAsync("/account", new Dictionary<string, string>
        {
            ["Form.Name"] = "Renamed Person",
            ["Form.Country"] = "FR",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = PortalClient.Decode(await client.GetPageAsync("/account"));
        Assert.Contains("value=\"Renamed Person\"", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"FR\" selected=\"selected\">", page, StringComparison.Ordinal);
        Assert.Contains("changed by our support team", page, StringComparison.Ordinal);

        var unknownCountry = await client.SubmitAsync("/account", new Dictionary<string, string> { ["Form.Name"] = "X", ["Form.Country"] = "ZZ" });
        Assert.Contains("Choose your country from the list.", await Text(unknownCountry), StringComparison.Ordinal);
        Assert.Contains(email, page, StringComparison.Ordinal);
    }
}
