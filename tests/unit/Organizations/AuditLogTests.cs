using System.Net;
using System.Text.RegularExpressions;
using ChaosModular.Organizations.Contracts;
using ChaosModular.UnitTests.Billing;
using Microsoft.Extensions.Configuration;
using MimeKit;

namespace ChaosModular.UnitTests.Organizations;

/// <summary>
/// Organization › Audit log through the real pipeline: support's and administrators' actions are logged with who,
/// what, whom and before/after; the filters narrow it; the CSV export neutralises formulas; only that
/// organization's administrators see it.
/// </summary>
public sealed partial class AuditLogTests(DemoOrganizationPortalFactory factory) : IClassFixture<DemoOrganizationPortalFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private sealed record Person(PortalClient Client, string Email, string UserId);

    private async Task<Person> SignUpAsync()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);
        return new Person(customer.Client, customer.Email, customer.UserId);
    }

    private async Task<PortalClient> SupportAsync()
    {
        var client = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(factory.SupportEmail, factory.SupportPassword)).StatusCode);
        return client;
    }

    /// <summary>Support sets the organization up on its page; returns the organization's id.</summary>
    private async Task<Guid> SetUpAsync(PortalClient support, string email, string name)
    {
        Later();
        var response = await support.SubmitAsync($"{OrganizationsRoutes.SupportOrganizations}?Find={Uri.EscapeDataString(email)}",
            new Dictionary<string, string> { ["Form.Name"] = name });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Guid.Parse(response.Headers.Location!.OriginalString[(OrganizationsRoutes.SupportOrganizations.Length + 1)..]);
    }

    /// <summary>A minute passes between actions, as it would between clicks, so "newest first" has an order to show.</summary>
    private void Later() => ((Microsoft.Extensions.Time.Testing.FakeTimeProvider)factory.Clock!).Advance(TimeSpan.FromMinutes(1));

    private async Task InviteAsync(Person administrator, string email, string role)
    {
        Later();
        Assert.Equal(HttpStatusCode.Redirect, (await administrator.Client.SubmitAsync(OrganizationUsersRoutes.Invite,
            new Dictionary<string, string> { ["Form.Email"] = email, ["Form.Role"] = role })).StatusCode);
    }

    private string PickupDirectory => factory.Services.GetRequiredService<IConfiguration>()["Smtp:PickupDirectory"]!;

    private Task<string> InvitationPathAsync(string address) =>
        Eventually.Until(() =>
        {
            var link = !Directory.Exists(PickupDirectory) ? null : Directory.GetFiles(PickupDirectory, "*.eml")
                .Select(f => MimeMessage.Load(f))
                .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase)))
                .Select(m => OrganizationMarkup.InvitationLink().Match(m.TextBody ?? "").Groups[1].Value)
                .FirstOrDefault(l => l.Length > 0);
            return Task.FromResult(link is null ? null : new Uri(link).PathAndQuery);
        }, Patience, $"the invitation email to {address}");

    private static string Day(DateTime utc) => utc.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("data-testid=\"audit-row\" data-action=\"(?<action>[^\"]*)\"")]
    private static partial Regex AuditRow();

    private static async Task<List<string>> ActionsAsync(PortalClient client, string query = "") =>
        [.. AuditRow().Matches(await client.GetPageAsync(OrganizationsRoutes.AuditLog + query)).Select(m => m.Groups["action"].Value)];

    [Fact]
    public async Task Support_and_administrator_actions_are_logged_newest_first_and_the_filters_narrow_them()
    {
        var started = Day(factory.Clock!.GetUtcNow().UtcDateTime);
        var support = await SupportAsync();
        var admin = await SignUpAsync();
        var second = await SignUpAsync();
        var member = await SignUpAsync();
        var guest = await SignUpAsync();
        var organizationId = await SetUpAsync(support, admin.Email, "Audit Studio");
        Later();
        Assert.Equal(HttpStatusCode.Redirect, (await support.SubmitAsync(OrganizationsRoutes.SupportOrganization(organizationId),
            new Dictionary<string, string> { ["Form.Account"] = second.Email })).StatusCode);
        await InviteAsync(admin, member.Email, "Member");
        await InviteAsync(admin, guest.Email, "Guest");
        var users = await admin.Client.GetPageAsync(OrganizationUsersRoutes.Users);
        var guestInvitation = OrganizationMarkup.UserRow().Matches(users).Single(m => m.Groups["email"].Value == guest.Email).Groups["invitation"].Value;
        Later();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Client.SubmitAsync(OrganizationUsersRoutes.Users + "?handler=Cancel",
            new Dictionary<string, string> { ["invitationId"] = guestInvitation })).StatusCode);
        var accept = await InvitationPathAsync(member.Email);
        Later();
        Assert.Equal(HttpStatusCode.Redirect, (await member.Client.SubmitAsync(accept, new Dictionary<string, string>())).StatusCode);
        users = await admin.Client.GetPageAsync(OrganizationUsersRoutes.Users);
        var membership = OrganizationMarkup.UserRow().Matches(users).Single(m => m.Groups["email"].Value == member.Email).Groups["membership"].Value;
        Later();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Client.SubmitAsync(OrganizationUsersRoutes.RemoveUser(Guid.Parse(membership)), new Dictionary<string, string>())).StatusCode);

        Assert.Equal(
            ["UserRemoved", "InvitationAccepted", "InvitationCancelled", "UserInvited", "UserInvited", "AdministratorAppointed", "OrganizationSetUp"],
            await ActionsAsync(admin.Client));
        var page = PortalClient.Decode(await admin.Client.GetPageAsync(OrganizationsRoutes.AuditLog));
        Assert.Contains("Support</span>", page, StringComparison.Ordinal);
        Assert.Contains(factory.SupportEmail, page, StringComparison.Ordinal);
        Assert.Contains("Audit Studio", page, StringComparison.Ordinal);

        // The second administrator reads the same log; the filters narrow it by action, by user and by day.
        Assert.Equal(["UserInvited", "UserInvited"], await ActionsAsync(second.Client, "?action=UserInvited"));
        Assert.Equal(["UserRemoved", "InvitationAccepted", "UserInvited"], await ActionsAsync(admin.Client, $"?user={Uri.EscapeDataString(member.Email)}"));
        var today = Day(factory.Clock!.GetUtcNow().UtcDateTime);
        var tomorrow = Day(factory.Clock!.GetUtcNow().UtcDateTime.AddDays(1));
        Assert.Equal(7, (await ActionsAsync(admin.Client, $"?from={started}&to={today}")).Count);
        Assert.Empty(await ActionsAsync(admin.Client, $"?from={tomorrow}"));
        // A page number past the end (even one too large to skip to) shows the last page.
        Assert.Equal(7, (await ActionsAsync(admin.Client, $"?p={int.MaxValue}")).Count);
    }

    [Fact]
    public async Task The_csv_export_keeps_the_filters_and_neutralises_cells_that_would_run_as_formulas()
    {
        var support = await SupportAsync();
        var admin = await SignUpAsync();
        await SetUpAsync(support, admin.Email, "=HYPERLINK(\"http://evil.test\") Studio");
        var invitee = await SignUpAsync();
        await InviteAsync(admin, invitee.Email, "Guest");

        var response = await admin.Client.GetAsync(OrganizationsRoutes.AuditLog + "?handler=Export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("audit-log-", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName, StringComparison.Ordinal);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("time_utc,actor,actor_role,action,users,user_count,before,after", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains($",administrator,User invited,{invitee.Email},1,,Guest", lines[1], StringComparison.Ordinal);
        // The organization's name as support typed it would be a formula in a spreadsheet: it is written as text.
        Assert.EndsWith(",support,Organization set up," + admin.Email + ",1,,\"'=HYPERLINK(\"\"http://evil.test\"\") Studio\"", lines[2], StringComparison.Ordinal);

        var filtered = await admin.Client.Http.GetStringAsync(OrganizationsRoutes.AuditLog + "?handler=Export&action=UserInvited");
        Assert.Equal(2, filtered.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Only_administrators_of_that_organization_see_its_audit_log()
    {
        var support = await SupportAsync();
        var admin = await SignUpAsync();
        var member = await SignUpAsync();
        var outsider = await SignUpAsync();
        var otherAdmin = await SignUpAsync();
        await SetUpAsync(support, admin.Email, "Private Log Studio");
        await SetUpAsync(support, otherAdmin.Email, "Other Log Studio");
        await InviteAsync(admin, member.Email, "Member");
        Assert.Equal(HttpStatusCode.Redirect, (await member.Client.SubmitAsync(await InvitationPathAsync(member.Email), new Dictionary<string, string>())).StatusCode);

        foreach (var (who, client) in new[] { ("member", member.Client), ("non-member", outsider.Client) })
        {
            foreach (var path in new[] { OrganizationsRoutes.AuditLog, OrganizationsRoutes.AuditLog + "?handler=Export" })
            {
                Assert.True(HttpStatusCode.NotFound == (await client.GetAsync(path)).StatusCode, $"GET {path} as {who}");
            }
        }
        // Another organization's administrator has a log of their own, without this organization's entries.
        var other = await otherAdmin.Client.GetPageAsync(OrganizationsRoutes.AuditLog);
        Assert.DoesNotContain(member.Email, other, StringComparison.Ordinal);
        Assert.DoesNotContain(member.Email, await otherAdmin.Client.Http.GetStringAsync(OrganizationsRoutes.AuditLog + "?handler=Export"), StringComparison.Ordinal);
        Assert.Contains(member.Email, await admin.Client.GetPageAsync(OrganizationsRoutes.AuditLog), StringComparison.Ordinal);
    }
}
