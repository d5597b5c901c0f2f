using ChaosModular.E2E.Harness;
using ChaosModular.E2E.Pages;
using ChaosModular.E2E.Seeding;

namespace ChaosModular.E2E.Journeys;

/// <summary>
/// The self-service portal end to end, on Web + Worker over PostgreSQL with a real SMTP listener: support sets up an
/// organization, its administrator invites people one by one and by CSV, allocates licenses, and removes users;
/// the people read their emails and see only what was allocated to them.
/// </summary>
public sealed class OrganizationJourney(PortalFixture portal, ITestOutputHelper output) : PortalTest(portal, output)
{
    [Fact]
    public Task Support_sets_up_an_organization_whose_administrator_invites_a_user_who_accepts_from_the_email() => JourneyAsync(async page =>
    {
        var support = await SeedAsync(CustomerBuilder.For("org-support").AsSupport());
        var admin = await SeedAsync(CustomerBuilder.For("org-admin").WithSubscription("vray-solo-annual", "EUR", seats: 5, activatedDaysAgo: 100));
        var invitee = await SeedAsync(CustomerBuilder.For("org-invitee"));
        var studio = $"Journey Studio {Guid.NewGuid().ToString("N")[..6]}";

        await (await SignInPage.OpenAsync(page)).SignInAsync(support.Email, support.Password);
        var organizations = await SupportOrganizationsPage.OpenAsync(page);
        await organizations.FindAsync(admin.Email);
        await organizations.SetUpAsync(studio);
        await Mailbox.WaitForAsync(admin.Email, $"You are an administrator of {studio}");

        var adminPage = await NewBrowserSessionAsync();
        await ProductsJourney.SignInAsync(adminPage, admin);
        await Expect(new SignInPage(adminPage).Menu.Link("Organization")).ToBeVisibleAsync();
        var users = await OrganizationUsersPage.OpenAsync(adminPage);
        await Expect(users.OrganizationName).ToHaveTextAsync(studio);
        await users.InviteAsync(invitee.Email, "Member");
        await Expect(users.Status(invitee.Email)).ToHaveTextAsync("Invited");

        var email = await Mailbox.WaitForAsync(invitee.Email, $"You are invited to join {studio} on ChaosModular");
        var inviteePage = await NewBrowserSessionAsync();
        await (await SignInPage.OpenAsync(inviteePage)).SignInAsync(invitee.Email, invitee.Password);
        await inviteePage.GotoAsync(InvitationPage.LinkIn(email.Text));
        var invitation = new InvitationPage(inviteePage);
        await Expect(invitation.Summary).ToContainTextAsync(studio);
        await invitation.AcceptAsync();

        await users.GotoAsync();
        await Expect(users.Status(invitee.Email)).ToHaveTextAsync("Active");
        // A member has no Organization menu: it is for administrators.
        await inviteePage.ReloadAsync();
        await Expect(new SignInPage(inviteePage).Menu.Link("Organization")).ToHaveCountAsync(0);
    });
}
