using System.Net;
using System.Text.RegularExpressions;
using ChaosModular.Organizations.Contracts;
using ChaosModular.Organizations.Data;
using ChaosModular.Organizations.Domain;
using ChaosModular.UnitTests.Billing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace ChaosModular.UnitTests.Organizations;

/// <summary>A portal whose clock a test can move (invitations expire after 7 days); emails land as .eml files.</summary>
public class OrganizationPortalFactory : SqlitePortalFactory
{
    public OrganizationPortalFactory() => Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
}

/// <summary>The same with the demo customer, member and support user.</summary>
public sealed class DemoOrganizationPortalFactory : OrganizationPortalFactory
{
    public DemoOrganizationPortalFactory() => DemoData = true;
}

/// <summary>The same on PostgreSQL, with the email jobs run by Web so the invitation emails arrive.</summary>
public sealed class OrganizationPostgresPortalFactory : PostgresPortalFactory
{
    public OrganizationPostgresPortalFactory()
    {
        Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        With("Jobs:RunServerInWeb", "true");
    }
}

public sealed class OrganizationUsersTests(OrganizationPortalFactory factory) : OrganizationUsersTests<OrganizationPortalFactory>(factory);

public sealed class PostgresOrganizationUsersTests(OrganizationPostgresPortalFactory factory) : OrganizationUsersTests<OrganizationPostgresPortalFactory>(factory);

/// <summary>
/// Organization › Users through the real pipeline: an administrator invites a registered account, the invitee
/// accepts from the emailed link, invitations expire, are resent and cancelled, users are removed; nobody but
/// that organization's administrators reaches any of it.
/// </summary>
public abstract class OrganizationUsersTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : PortalFactory
{
    private FakeTimeProvider Clock => (FakeTimeProvider)factory.Clock!;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private sealed record Person(PortalClient Client, string Email, string UserId, string Password);

    private async Task<Person> SignUpAsync()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);
        return new Person(customer.Client, customer.Email, customer.UserId, customer.Password);
    }

    /// <summary>What support does on its own page: an organization with this account as its administrator.</summary>
    private async Task<Guid> SetUpOrganizationAsync(Person administrator, string? name = null)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>();
        var organization = Organization.SetUp(administrator.UserId, name ?? $"Studio {Guid.NewGuid():N}"[..20], "support-test", DateTime.UtcNow);
        db.Organizations.Add(organization);
        db.Memberships.Add(Membership.Join(organization.Id, administrator.UserId, administrator.Email, OrganizationRole.Administrator, DateTime.UtcNow));
        await db.SaveChangesAsync();
        return organization.Id;
    }

    private async Task JoinAsync(Guid organizationId, Person person, OrganizationRole role)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>();
        db.Memberships.Add(Membership.Join(organizationId, person.UserId, person.Email, role, DateTime.UtcNow));
        await db.SaveChangesAsync();
    }

    private async Task<MembershipSummary?> MembershipOfAsync(Person person)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IOrganizationsApi>().MembershipAsync(person.UserId, CancellationToken.None);
    }

    private string PickupDirectory => factory.Services.GetRequiredService<IConfiguration>()["Smtp:PickupDirectory"]!;

    private List<MimeMessage> EmailsTo(string address) =>
        !Directory.Exists(PickupDirectory)
            ? []
            : [.. Directory.GetFiles(PickupDirectory, "*.eml")
                .Select(f => MimeMessage.Load(f))
                .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase)))];

    private Task<List<MimeMessage>> EmailsToAsync(string address, int count, string subjectPart) =>
        Eventually.Until(() =>
        {
            var emails = EmailsTo(address).Where(m => (m.Subject ?? "").Contains(subjectPart, StringComparison.Ordinal)).ToList();
            return Task.FromResult(emails.Count >= count ? emails : null);
        }, Patience, $"{count} email(s) '{subjectPart}' to {address}");

    /// <summary>The accept links of the invitation emails to <paramref name="address"/>, the newest last.</summary>
    private async Task<List<string>> InvitationLinksAsync(string address, int count = 1) =>
        [.. (await EmailsToAsync(address, count, "You are invited to join"))
            .OrderBy(m => m.Date)
            .Select(m => OrganizationMarkup.InvitationLink().Match(m.TextBody ?? "").Groups[1].Value)];

    private static Task<HttpResponseMessage> InviteAsync(Person administrator, string email, string role = "Member") =>
        administrator.Client.SubmitAsync(OrganizationUsersRoutes.Invite, new Dictionary<string, string> { ["Form.Email"] = email, ["Form.Role"] = role });

    private sealed record Row(string Email, string Role, string Status, string Membership, string Invitation);

    private static List<Row> Rows(string html) =>
        [.. OrganizationMarkup.UserRow().Matches(html).Select(m => new Row(WebUtility.HtmlDecode(m.Groups["email"].Value), m.Groups["role"].Value, m.Groups["status"].Value, m.Groups["membership"].Value, m.Groups["invitation"].Value))];

    private static async Task<List<Row>> UsersAsync(Person administrator, string query = "") =>
        Rows(await administrator.Client.GetPageAsync(OrganizationUsersRoutes.Users + query));

    /// <summary>A POST with a valid antiforgery token taken from a page the user may see, as a crafted form would send.</summary>
    private static async Task<HttpResponseMessage> PostAsync(PortalClient client, string path, Dictionary<string, string> fields)
    {
        var token = PortalClient.HiddenFields(await client.GetPageAsync("/products")).First(f => f.Key == "__RequestVerificationToken");
        return await client.Http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent([token, .. fields]));
    }

    [Fact]
    public async Task An_administrator_invites_a_registered_user_who_accepts_from_the_emailed_link()
    {
        var admin = await SignUpAsync();
        var organizationId = await SetUpOrganizationAsync(admin, "Render Farm Ltd");
        var invitee = await SignUpAsync();

        var response = await InviteAsync(admin, invitee.Email, "Guest");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var invited = Assert.Single(await UsersAsync(admin), r => r.Email == invitee.Email);
        Assert.Equal(("Guest", "Invited"), (invited.Role, invited.Status));
        var link = Assert.Single(await InvitationLinksAsync(invitee.Email));
        Assert.StartsWith("https://localhost/organization/invitations/", link, StringComparison.Ordinal);

        var path = new Uri(link).PathAndQuery;
        var page = PortalClient.Decode(await invitee.Client.GetPageAsync(path));
        Assert.Contains("Render Farm Ltd", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"invitation-role\">guest", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await invitee.Client.SubmitAsync(path, new Dictionary<string, string>())).StatusCode);

        var joined = Assert.Single(await UsersAsync(admin), r => r.Email == invitee.Email);
        Assert.Equal(("Guest", "Active"), (joined.Role, joined.Status));
        Assert.Equal(new MembershipSummary(organizationId, "Render Farm Ltd", OrganizationRole.Guest, admin.UserId), await MembershipOfAsync(invitee));

        // Accepting again (a second click, a replayed form) changes nothing and says so.
        var again = await PostAsync(invitee.Client, path, []);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Contains("already a member", PortalClient.Decode(await invitee.Client.GetPageAsync(path)), StringComparison.Ordinal);
        Assert.Equal(OrganizationRole.Guest, (await MembershipOfAsync(invitee))!.Role);
    }

    [Fact]
    public async Task The_link_sends_a_signed_out_invitee_to_sign_in_and_back()
    {
        var admin = await SignUpAsync();
        await SetUpOrganizationAsync(admin);
        var invitee = await SignUpAsync();
        await InviteAsync(admin, invitee.Email);
        var path = new Uri(Assert.Single(await InvitationLinksAsync(invitee.Email))).PathAndQuery;

        var anonymous = await factory.CreatePortalClient().GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("ReturnUrl=" + Uri.EscapeDataString(path), anonymous.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Invited_by_two_organizations_the_invitee_can_join_only_the_first_it_accepts()
    {
        var first = await SignUpAsync();
        await SetUpOrganizationAsync(first, "First Studio");
        var second = await SignUpAsync();
        await SetUpOrganizationAsync(second, "Second Studio");
        var invitee = await SignUpAsync();
        await InviteAsync(first, invitee.Email);
        await InviteAsync(second, invitee.Email, "Guest");
        var links = (await InvitationLinksAsync(invitee.Email, 2)).Select(l => new Uri(l).PathAndQuery).ToList();
        var pages = new List<(string Path, string Html)>();
        foreach (var link in links)
        {
            pages.Add((link, PortalClient.Decode(await invitee.Client.GetPageAsync(link))));
        }
        var toFirst = pages.Single(p => p.Html.Contains("First Studio", StringComparison.Ordinal)).Path;
        var toSecond = pages.Single(p => p.Html.Contains("Second Studio", StringComparison.Ordinal)).Path;

        await invitee.Client.SubmitAsync(toFirst, new Dictionary<string, string>());
        await invitee.Client.SubmitAsync(toSecond, new Dictionary<string, string>());

        Assert.Equal("First Studio", (await MembershipOfAsync(invitee))!.OrganizationName);
        Assert.Contains("already belongs to another organization", PortalClient.Decode(await invitee.Client.GetPageAsync(toSecond)), StringComparison.Ordinal);
        Assert.Equal("Invited", Assert.Single(await UsersAsync(second), r => r.Email == invitee.Email).Status);
    }

    [Fact]
    public async Task Accepting_two_organizations_at_once_leaves_the_account_in_exactly_one()
    {
        var invitee = await SignUpAsync();
        var links = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var admin = await SignUpAsync();
            await SetUpOrganizationAsync(admin);
            await InviteAsync(admin, invitee.Email);
        }
        links.AddRange((await InvitationLinksAsync(invitee.Email, 4)).Select(l => new Uri(l).PathAndQuery));
        var token = PortalClient.HiddenFields(await invitee.Client.GetPageAsync(links[0])).First(f => f.Key == "__RequestVerificationToken");

        var answers = await Task.WhenAll(links.Select(link =>
            invitee.Client.Http.PostAsync(new Uri(link, UriKind.Relative), new FormUrlEncodedContent([token]))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Redirect, a.StatusCode));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>();
        Assert.Equal(1, await db.Memberships.CountAsync(m => m.AccountId == invitee.UserId));
        Assert.Equal(1, await db.Invitations.CountAsync(i => i.AccountId == invitee.UserId && i.Status == InvitationStatus.Accepted));
    }

    [Fact]
    public async Task An_address_without_a_chaos_account_gets_the_message_and_no_email()
    {
        var admin = await SignUpAsync();
        await SetUpOrganizationAsync(admin);
        var stranger = $"nobody-{Guid.NewGuid():N}@example.test";

        var response = await InviteAsync(admin, stranger);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Only users with a registered Chaos account can be invited: ask them to create one first.",
            PortalClient.Decode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.DoesNotContain(await UsersAsync(admin), r => r.Email == stranger);
        await BackgroundWork.SettledAsync(factory.Services);
        Assert.Empty(EmailsTo(stranger));
    }

    [Fact]
    public async Task An_account_that_has_not_confirmed_its_email_cannot_be_invited_until_it_does()
    {
        var admin = await SignUpAsync();
        await SetUpOrganizationAsync(admin);
        var email = $"unconfirmed-{Guid.NewGuid():N}@example.test";
        var newcomer = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await newcomer.SubmitSignUpAsync("New Comer", email, "Newcomer2026xx")).StatusCode);

        var refused = await InviteAsync(admin, email);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains($"{email} has not confirmed their email address yet", PortalClient.Decode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.DoesNotContain(await UsersAsync(admin), r => r.Email == email);

        await newcomer.OpenConfirmationLinkAsync(email);

        Assert.Equal(HttpStatusCode.Redirect, (await InviteAsync(admin, email)).StatusCode);
        Assert.Contains(await UsersAsync(admin), r => r.Email == email);
    }

    [Fact]
    public async Task Members_of_this_or_another_organization_and_people_already_invited_are_told_so()
    {
        var admin = await SignUpAsync();
        var organizationId = await SetUpOrganizationAsync(admin);
        var member = await SignUpAsync();
        await JoinAsync(organizationId, member, OrganizationRole.Member);
        var otherAdmin = await SignUpAsync();
        await SetUpOrganizationAsync(otherAdmin);
        var invitee = await SignUpAsync();
        await InviteAsync(admin, invitee.Email);

        async Task<string> Refusal(string email) => PortalClient.Decode(await (await InviteAsync(admin, email)).Content.ReadAsStringAsync());

        Assert.Contains($"{member.Email} is already in", await Refusal(member.Email), StringComparison.Ordinal);
        Assert.Contains("already belongs to another organization", await Refusal(otherAdmin.Email), StringComparison.Ordinal);
        Assert.Contains("is already invited", await Refusal(invitee.Email), StringComparison.Ordinal);
        Assert.Single(await UsersAsync(admin), r => r.Email == invitee.Email);
    }

    [Fact]
    public async Task An_invitation_cannot_be_accepted_after_seven_days_and_a_resend_gives_a_new_link_while_the_old_one_stops()
    {
        var admin = await SignUpAsync();
        await SetUpOrganizationAsync(admin);
        var invitee = await SignUpAsync();
        await InviteAsync(admin, invitee.Email);
        var first = new Uri(Assert.Single(await InvitationLinksAsync(invitee.Email))).PathAndQuery;

        Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        // A week later both sign in again (their sessions ended meanwhile).
        await admin.Client.SignInAsync(admin.Email, admin.Password);
        await invitee.Client.SignInAsync(invitee.Email, invitee.Password);

        var expired = Assert.Single(await UsersAsync(admin), r => r.Email == invitee.Email);
        Assert.Equal("InvitationExpired", expired.Status);
        Assert.Contains("Invitation expired", PortalClient.Decode(await admin.Client.GetPageAsync(OrganizationUsersRoutes.Users)), StringComparison.Ordinal);
        await PostAsync(invitee.Client, first, []);
        Assert.Null(await MembershipOfAsync(invitee));
        Assert.Contains("has expired", PortalClient.Decode(await invitee.Client.GetPageAsync(first)), StringComparison.Ordinal);

        var resent = await admin.Client.SubmitAsync(OrganizationUsersRoutes.Users + "?handler=Resend", new Dictionary<string, string> { ["invitationId"] = expired.Invitation });

        Assert.Equal(HttpStatusCode.Redirect, resent.StatusCode);
        Assert.Equal("Invited", Assert.Single(await UsersAsync(admin), r => r.Email == invitee.Email).Status);
        var links = await InvitationLinksAsync(invitee.Email, 2);
        var second = new Uri(links.Single(l => new Uri(l).PathAndQuery != first)).PathAndQuery;
        Assert.Equal(HttpStatusCode.NotFound, (await invitee.Client.GetAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await invitee.Client.SubmitAsync(second, new Dictionary<string, string>())).StatusCode);
        Assert.Equal(OrganizationRole.Member, (await MembershipOfAsync(invitee))!.Role);
    }

    [Fact]
    public async Task A_cancelled_invitation_leaves_the_list_and_its_link_no_longer_joins()
    {
        var admin = await SignUpAsync();
        await SetUpOrganizationAsync(admin);
        var invitee = await SignUpAsync();
        await InviteAsync(admin, invitee.Email);
        var path = new Uri(Assert.Single(await InvitationLinksAsync(invitee.Email))).PathAndQuery;
        var row = Assert.Single(await UsersAsync(admin), r => r.Email == invitee.Email);

        var cancelled = await admin.Client.SubmitAsync(OrganizationUsersRoutes.Users + "?handler=Cancel", new Dictionary<string, string> { ["invitationId"] = row.Invitation });

        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.DoesNotContain(await UsersAsync(admin), r => r.Email == invitee.Email);
        Assert.Contains("was cancelled", PortalClient.Decode(await invitee.Client.GetPageAsync(path)), StringComparison.Ordinal);
        await PostAsync(invitee.Client, path, []);
        Assert.Null(await MembershipOfAsync(invitee));
    }

    [Fact]
    public async Task Another_account_cannot_open_or_accept_someone_elses_invitation()
    {
        var admin = await SignUpAsync();
        await SetUpOrganizationAsync(admin);
        var invitee = await SignUpAsync();
        var intruder = await SignUpAsync();
        await InviteAsync(admin, invitee.Email);
        var path = new Uri(Assert.Single(await InvitationLinksAsync(invitee.Email))).PathAndQuery;

        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Client.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(intruder.Client, path, [])).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await invitee.Client.GetAsync(OrganizationUsersRoutes.Invitation("not-a-token"))).StatusCode);
        Assert.Null(await MembershipOfAsync(intruder));
        Assert.Equal("Invited", Assert.Single(await UsersAsync(admin), r => r.Email == invitee.Email).Status);
    }

    [Fact]
    public async Task An_administrator_removes_one_user_then_several_and_each_is_told_by_email()
    {
        var admin = await SignUpAsync();
        var organizationId = await SetUpOrganizationAsync(admin, "Removal Studio");
        var people = new List<Person>();
        for (var i = 0; i < 3; i++)
        {
            var person = await SignUpAsync();
            await JoinAsync(organizationId, person, i == 0 ? OrganizationRole.Guest : OrganizationRole.Member);
            people.Add(person);
        }
        var rows = await UsersAsync(admin);

        var one = rows.Single(r => r.Email == people[0].Email);
        var confirm = PortalClient.Decode(await admin.Client.GetPageAsync(OrganizationUsersRoutes.RemoveUser(Guid.Parse(one.Membership))));
        Assert.Contains("Remove 1 user", confirm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Client.SubmitAsync(OrganizationUsersRoutes.RemoveUser(Guid.Parse(one.Membership)), new Dictionary<string, string>())).StatusCode);
        Assert.Null(await MembershipOfAsync(people[0]));
        Assert.Contains("Removal Studio", Assert.Single(await EmailsToAsync(people[0].Email, 1, "You were removed from")).Subject, StringComparison.Ordinal);

        var ticked = rows.Where(r => r.Email == people[1].Email || r.Email == people[2].Email || r.Email == admin.Email).Select(r => r.Membership).ToList();
        var bulk = OrganizationUsersRoutes.Remove + "?" + string.Join("&", ticked.Select(id => $"ids={id}"));
        var review = PortalClient.Decode(await admin.Client.GetPageAsync(bulk));
        Assert.Contains("Remove 2 users", review, StringComparison.Ordinal);
        Assert.Contains("Administrators cannot be removed here", review, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(admin.Client, bulk, new Dictionary<string, string>())).StatusCode);
        // The crafted post above carries the administrator's id too: it is kept, and said so.
        Assert.Null(await MembershipOfAsync(people[1]));
        Assert.Null(await MembershipOfAsync(people[2]));
        Assert.Equal(OrganizationRole.Administrator, (await MembershipOfAsync(admin))!.Role);
        await EmailsToAsync(people[1].Email, 1, "You were removed from");
        await EmailsToAsync(people[2].Email, 1, "You were removed from");
        Assert.Equal([admin.Email], (await UsersAsync(admin)).Select(r => r.Email));
    }

    [Fact]
    public async Task Only_administrators_of_that_organization_reach_its_pages_and_actions()
    {
        var admin = await SignUpAsync();
        var organizationId = await SetUpOrganizationAsync(admin);
        var member = await SignUpAsync();
        await JoinAsync(organizationId, member, OrganizationRole.Member);
        var guest = await SignUpAsync();
        await JoinAsync(organizationId, guest, OrganizationRole.Guest);
        var outsider = await SignUpAsync();
        var otherAdmin = await SignUpAsync();
        await SetUpOrganizationAsync(otherAdmin);
        var invitee = await SignUpAsync();
        await InviteAsync(admin, invitee.Email);
        var invitation = Assert.Single(await UsersAsync(admin), r => r.Email == invitee.Email).Invitation;
        var memberId = Assert.Single(await UsersAsync(admin), r => r.Email == member.Email).Membership;

        foreach (var (who, person) in new[] { ("member", member), ("guest", guest), ("non-member", outsider) })
        {
            foreach (var path in new[] { OrganizationUsersRoutes.Users, OrganizationUsersRoutes.Invite, OrganizationUsersRoutes.RemoveUser(Guid.Parse(memberId)) })
            {
                Assert.True(HttpStatusCode.NotFound == (await person.Client.GetAsync(path)).StatusCode, $"GET {path} as {who}");
            }
            Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(person.Client, OrganizationUsersRoutes.Invite, new() { ["Form.Email"] = outsider.Email, ["Form.Role"] = "Member" })).StatusCode);
        }
        // Another organization's administrator has Users pages of their own: they never show or touch this organization.
        Assert.DoesNotContain(member.Email, await otherAdmin.Client.GetPageAsync(OrganizationUsersRoutes.Users), StringComparison.Ordinal);
        foreach (var (who, person) in new[] { ("member", member), ("guest", guest), ("non-member", outsider), ("another organization's administrator", otherAdmin) })
        {
            Assert.True(HttpStatusCode.NotFound == (await person.Client.GetAsync(OrganizationUsersRoutes.RemoveUser(Guid.Parse(memberId)))).StatusCode, $"GET remove as {who}");
            Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(person.Client, OrganizationUsersRoutes.Remove, new() { ["ids"] = memberId })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(person.Client, OrganizationUsersRoutes.Users + "?handler=Resend", new() { ["invitationId"] = invitation })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(person.Client, OrganizationUsersRoutes.Users + "?handler=Cancel", new() { ["invitationId"] = invitation })).StatusCode);
        }

        Assert.Equal(OrganizationRole.Member, (await MembershipOfAsync(member))!.Role);
        Assert.Null(await MembershipOfAsync(outsider));
        Assert.Equal("Invited", Assert.Single(await UsersAsync(admin), r => r.Email == invitee.Email).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync(OrganizationUsersRoutes.Users)).StatusCode);
    }

    [Fact]
    public async Task Search_role_and_status_filters_and_paging_show_the_right_rows()
    {
        var admin = await SignUpAsync();
        var organizationId = await SetUpOrganizationAsync(admin);
        var now = Clock.GetUtcNow().UtcDateTime;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>();
            for (var i = 0; i < 30; i++)
            {
                db.Memberships.Add(Membership.Join(organizationId, $"acct-{Guid.NewGuid():N}", $"m{i:00}-{Guid.NewGuid():N}@page.test",
                    i % 3 == 0 ? OrganizationRole.Guest : OrganizationRole.Member, now));
            }
            db.Invitations.Add(Invitation.Send(organizationId, $"acct-{Guid.NewGuid():N}", "needle-open@page.test", OrganizationRole.Guest, admin.UserId, Guid.NewGuid().ToString("N"), now));
            db.Invitations.Add(Invitation.Send(organizationId, $"acct-{Guid.NewGuid():N}", "needle-old@page.test", OrganizationRole.Member, admin.UserId, Guid.NewGuid().ToString("N"), now.AddDays(-8)));
            await db.SaveChangesAsync();
        }

        var first = await UsersAsync(admin);
        var second = await UsersAsync(admin, "?p=2");
        Assert.Equal(25, first.Count);
        Assert.Equal(8, second.Count);
        Assert.Empty(first.Select(r => r.Email).Intersect(second.Select(r => r.Email)));
        Assert.Contains("Page 2 of 2", PortalClient.Decode(await admin.Client.GetPageAsync(OrganizationUsersRoutes.Users + "?p=2")), StringComparison.Ordinal);

        Assert.Equal(["needle-old@page.test", "needle-open@page.test"], (await UsersAsync(admin, "?search=NEEDLE")).Select(r => r.Email));
        Assert.Equal(["needle-open@page.test"], (await UsersAsync(admin, "?status=Invited")).Select(r => r.Email));
        Assert.Equal(["needle-old@page.test"], (await UsersAsync(admin, "?status=InvitationExpired")).Select(r => r.Email));
        Assert.Equal(["needle-open@page.test"], (await UsersAsync(admin, "?search=needle&role=Guest")).Select(r => r.Email));
        var guests = await UsersAsync(admin, "?role=Guest&status=Active");
        Assert.Equal(10, guests.Count);
        Assert.All(guests, r => Assert.Equal(("Guest", "Active"), (r.Role, r.Status)));
        Assert.Equal([admin.Email], (await UsersAsync(admin, "?role=Administrator")).Select(r => r.Email));
        Assert.Equal(31, (await UsersAsync(admin, "?status=Active")).Count + (await UsersAsync(admin, "?status=Active&p=2")).Count);
    }

}

/// <summary>What the Organization pages and emails show, read back by the tests.</summary>
internal static partial class OrganizationMarkup
{
    [GeneratedRegex(@"(https://localhost/organization/invitations/[A-Za-z0-9_\-]+)")]
    public static partial Regex InvitationLink();

    [GeneratedRegex("data-testid=\"user-row\" data-email=\"(?<email>[^\"]*)\" data-role=\"(?<role>[^\"]*)\" data-status=\"(?<status>[^\"]*)\" data-membership=\"(?<membership>[^\"]*)\" data-invitation=\"(?<invitation>[^\"]*)\"")]
    public static partial Regex UserRow();
}
