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

    [Fact]
    public Task The_administrator_bulk_invites_by_csv_allocates_a_license_to_ticked_users_and_removes_one_by_csv() => JourneyAsync(async page =>
    {
        var support = await SeedAsync(CustomerBuilder.For("bulk-support").AsSupport());
        var admin = await SeedAsync(CustomerBuilder.For("bulk-admin").WithSubscription("vray-solo-annual", "EUR", seats: 5, activatedDaysAgo: 100));
        var mira = await SeedAsync(CustomerBuilder.For("bulk-mira"));
        var gus = await SeedAsync(CustomerBuilder.For("bulk-gus"));
        var studio = $"Bulk Studio {Guid.NewGuid().ToString("N")[..6]}";
        await SetUpOrganizationAsync(page, support, admin, studio);

        var adminPage = await NewBrowserSessionAsync();
        await ProductsJourney.SignInAsync(adminPage, admin);
        var users = await OrganizationUsersPage.OpenAsync(adminPage);

        // A file with two good rows and three bad ones; Gus is listed as a guest and made a member on the review page.
        var work = Directory.CreateTempSubdirectory("chaos-e2e-organization").FullName;
        var invites = Path.Combine(work, "invites.csv");
        var nobody = $"nobody-{Guid.NewGuid():N}@example.test";
        await File.WriteAllTextAsync(invites, $"email;role\n{mira.Email};Member\n\n\"{gus.Email}\";Guest\nnot-an-email;Member\n{nobody};Member\n{mira.Email};Guest\n");
        var review = await (await users.OpenBulkInviteAsync()).UploadAsync(invites);
        await Expect(review.ReadyCount).ToHaveTextAsync("2");
        await Expect(review.Row("not-an-email")).ToHaveAttributeAsync("data-state", "InvalidEmail");
        await Expect(review.Row(nobody)).ToHaveAttributeAsync("data-state", "UnknownAccount");
        await Expect(review.Row(mira.Email).Nth(1)).ToHaveAttributeAsync("data-state", "DuplicateInFile");
        await review.ChangeRoleAsync(gus.Email, "Member");

        var status = await review.SendAsync();
        await Expect(status.Status).ToHaveAttributeAsync("data-status", "Finished", new() { Timeout = 60_000 });
        await Expect(status.Progress).ToHaveAttributeAsync("aria-valuenow", "100");
        await Expect(status.Counts).ToHaveAttributeAsync("data-invited", "2");
        var report = await Mailbox.WaitForAsync(admin.Email, $"Your bulk invite to {studio} has finished");
        var results = Assert.Single(report.Attachments);
        Assert.EndsWith(".csv", results.FileName, StringComparison.Ordinal);
        var csv = System.Text.Encoding.UTF8.GetString(results.Content);
        Assert.Contains(mira.Email, csv, StringComparison.Ordinal);
        Assert.Contains("not-an-email", csv, StringComparison.Ordinal);

        foreach (var person in new[] { mira, gus })
        {
            var email = await Mailbox.WaitForAsync(person.Email, $"You are invited to join {studio} on ChaosModular");
            var personPage = await NewBrowserSessionAsync();
            await (await SignInPage.OpenAsync(personPage)).SignInAsync(person.Email, person.Password);
            await personPage.GotoAsync(InvitationPage.LinkIn(email.Text));
            await new InvitationPage(personPage).AcceptAsync();
        }
        await users.GotoAsync();
        await Expect(users.Status(mira.Email)).ToHaveTextAsync("Active");
        await Expect(users.Role(gus.Email)).ToHaveTextAsync("Member");

        // One V-Ray Solo license each for the two ticked users: 2 of the 5 seats are theirs.
        await users.AssignToTickedAsync([mira.Email, gus.Email], "vray-solo", 1);
        var products = new OrganizationProductsPage(adminPage);
        await products.ExpectOpenAsync();
        await Expect(products.License("vray-solo")).ToHaveAttributeAsync("data-allocated", "2");
        await Expect(products.License("vray-solo")).ToHaveAttributeAsync("data-free", "3");

        // Mira, a member, sees that license from the organization and none of her own.
        var miraPage = await NewBrowserSessionAsync();
        await (await SignInPage.OpenAsync(miraPage)).SignInAsync(mira.Email, mira.Password);
        await LicensesPage.OpenAsync(miraPage);
        var allocations = miraPage.GetByTestId("from-organization").GetByTestId("allocation-row");
        await Expect(allocations).ToHaveCountAsync(1);
        await Expect(allocations.First).ToHaveAttributeAsync("data-product", "vray-solo");
        await Expect(allocations.First.GetByTestId("allocation-from")).ToHaveTextAsync($"from {studio}");
        await Expect(miraPage.GetByTestId("personal-licenses")).ToHaveCountAsync(0);

        // Gus leaves by a removal file; his seat returns to the pool.
        var removals = Path.Combine(work, "remove.csv");
        await File.WriteAllTextAsync(removals, $"email\n{gus.Email}\n");
        var remove = new RemoveUsersByCsvPage(adminPage);
        await remove.GotoAsync();
        await remove.UploadAsync(removals);
        await Expect(remove.ConfirmButton).ToHaveTextAsync("Remove 1 user");
        await remove.ConfirmButton.ClickAsync();
        await Mailbox.WaitForAsync($"removal email to {gus.Email}", m => m.To.Contains(gus.Email, StringComparer.OrdinalIgnoreCase) && m.Subject.StartsWith("You were removed from", StringComparison.Ordinal));
        await Eventually.HappensAsync(async () =>
        {
            await products.GotoAsync();
            return await products.License("vray-solo").GetAttributeAsync("data-free") == "4";
        }, "the removed user's seat back in the pool (4 free)");
        await Expect(products.License("vray-solo")).ToHaveAttributeAsync("data-allocated", "1");
    });

    /// <summary>Support signs in on <paramref name="page"/> and sets up <paramref name="administrator"/>'s organization.</summary>
    private static async Task SetUpOrganizationAsync(IPage page, SeededCustomer support, SeededCustomer administrator, string name)
    {
        await (await SignInPage.OpenAsync(page)).SignInAsync(support.Email, support.Password);
        var organizations = await SupportOrganizationsPage.OpenAsync(page);
        await organizations.FindAsync(administrator.Email);
        await organizations.SetUpAsync(name);
    }
}
