using System.Net;
using ChaosModular.Accounts.Contracts;
using ChaosModular.CloudCredits.Contracts;
using ChaosModular.Licensing.Contracts;
using ChaosModular.Organizations.Contracts;

namespace ChaosModular.UnitTests.Organizations;

/// <summary>
/// The demo a newcomer starts from: the demo customer administers Demo Studio with members, guests and an open
/// invitation, and the demo member signs in with the README's credentials and sees the member's side.
/// </summary>
public sealed class DemoOrganizationTests(DemoSqlitePortalFactory factory) : IClassFixture<DemoSqlitePortalFactory>
{
    private const string DemoMemberPassword = "DemoMember#2026";

    [Fact]
    public async Task The_demo_administrator_sees_members_guests_and_an_open_invitation()
    {
        var admin = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SignInAsync(factory.DemoEmail, factory.DemoPassword)).StatusCode);

        var users = await admin.GetPageAsync(OrganizationUsersRoutes.Users);
        var rows = OrganizationMarkup.UserRow().Matches(users).Select(m => (Email: m.Groups["email"].Value, Role: m.Groups["role"].Value, Status: m.Groups["status"].Value)).ToList();
        Assert.Contains((DemoPeople.MemberEmail, "Member", "Active"), rows);
        Assert.Equal(3, rows.Count(r => r is { Role: "Member", Status: "Active" }));
        Assert.Equal(2, rows.Count(r => r is { Role: "Guest", Status: "Active" }));
        Assert.Contains((DemoPeople.Invited.Email, "Guest", "Invited"), rows);
        Assert.Contains(DemoPeople.Guests[0].Email, await admin.GetPageAsync(OrganizationsRoutes.AuditLog), StringComparison.Ordinal);

        // A bulk invite from a small file has run to the end: Nora was invited by it.
        var bulk = await admin.GetPageAsync(OrganizationUsersRoutes.BulkInvites);
        Assert.Contains("new-starters.csv", bulk, StringComparison.Ordinal);
        Assert.Contains("data-status=\"Finished\"", bulk, StringComparison.Ordinal);
        Assert.Contains((DemoPeople.BulkInvited.Email, "Member", "Invited"), rows);
    }

    [Fact]
    public async Task The_demo_member_signs_in_with_the_readme_password_and_is_a_member_of_Demo_Studio()
    {
        var member = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await member.SignInAsync(DemoPeople.MemberEmail, DemoMemberPassword)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync(OrganizationUsersRoutes.Users)).StatusCode);
        await using var scope = factory.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<IAccountsApi>();
        var account = await accounts.FindCustomerByEmailAsync(DemoPeople.MemberEmail, CancellationToken.None);
        var membership = await scope.ServiceProvider.GetRequiredService<IOrganizationsApi>().MembershipAsync(account!.UserId, CancellationToken.None);
        Assert.Equal(("Demo Studio", OrganizationRole.Member), (membership?.OrganizationName, membership?.Role));

        // The member's side: one license seat and 150 cloud credits from Demo Studio.
        var seat = Assert.Single(await scope.ServiceProvider.GetRequiredService<ILicenseAllocationsApi>().HeldByAsync(account.UserId, CancellationToken.None));
        Assert.Equal(1, seat.Seats);
        var licensing = await member.GetPageAsync("/licensing");
        Assert.Contains("data-testid=\"allocation-row\"", licensing, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"personal-licenses\"", licensing, StringComparison.Ordinal);
        var credits = Assert.Single(await scope.ServiceProvider.GetRequiredService<ICloudCreditsApi>().AllocationsAsync(membership!.OrganizationId, [account.UserId], CancellationToken.None));
        Assert.Equal(150m, credits.Limit);
    }
}
