using System.Net;
using ChaosModular.Accounts.Data;
using ChaosModular.Organizations.Contracts;
using ChaosModular.Organizations.Data;
using ChaosModular.Organizations.Domain;
using ChaosModular.Organizations.Features;
using Microsoft.Extensions.Configuration;
using MimeKit;

namespace ChaosModular.UnitTests.Organizations;

/// <summary>
/// Support › Organizations through the real pipeline: support finds an account, sets up its organization, appoints and
/// removes administrators; the Organization menu follows administrator membership; nobody else reaches these pages.
/// </summary>
public sealed class SupportOrganizationsTests(DemoSqlitePortalFactory factory) : IClassFixture<DemoSqlitePortalFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private const string LastAdministrator = "An organization keeps at least one administrator.";
    private const string AlreadyInOrganization = "This account already belongs to an organization.";

    private sealed record Customer(PortalClient Client, string Email, string UserId, string CustomerNumber);

    private async Task<Customer> SignUpAsync()
    {
        var email = $"org-{Guid.NewGuid():N}@example.test";
        var client = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync("Orla Organizer", email, "Organizer2026xx")).StatusCode);
        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Users.Where(u => u.Email == email)
            .Select(u => new { u.Id, u.CustomerNumber }).SingleAsync();
        return new Customer(client, email, user.Id, user.CustomerNumber);
    }

    private async Task<PortalClient> SupportAsync()
    {
        var client = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(factory.SupportEmail, factory.SupportPassword)).StatusCode);
        return client;
    }

    private static string FindPath(string query) => $"{OrganizationsRoutes.SupportOrganizations}?Find={Uri.EscapeDataString(query)}";

    /// <summary>Support sets up an organization for the account found by <paramref name="query"/>; returns its id.</summary>
    private static async Task<Guid> SetUpAsync(PortalClient support, string query, string name)
    {
        var response = await support.SubmitAsync(FindPath(query), new Dictionary<string, string> { ["Form.Name"] = name });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith(OrganizationsRoutes.SupportOrganizations + "/", location, StringComparison.Ordinal);
        return Guid.Parse(location[(OrganizationsRoutes.SupportOrganizations.Length + 1)..]);
    }

    private static Task<HttpResponseMessage> AppointAsync(PortalClient support, Guid organizationId, string query) =>
        support.SubmitAsync(OrganizationsRoutes.SupportOrganization(organizationId), new Dictionary<string, string> { ["Form.Account"] = query });

    private async Task<string> RemovePathAsync(Guid organizationId, string userId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var membershipId = await scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>().Memberships
            .Where(m => m.AccountId == userId).Select(m => m.Id).SingleAsync();
        return $"{OrganizationsRoutes.SupportOrganization(organizationId)}/administrators/{membershipId}/remove";
    }

    private static async Task<bool> SeesOrganizationMenuAsync(PortalClient client) =>
        PortalClient.Decode(await client.GetPageAsync("/products")).Contains("href=\"/organization\">Organization", StringComparison.Ordinal);

    [Fact]
    public async Task Support_finds_an_account_by_customer_number_and_by_email()
    {
        var customer = await SignUpAsync();
        var support = await SupportAsync();

        foreach (var query in new[] { customer.CustomerNumber, $" {customer.CustomerNumber} ", customer.Email, customer.Email.ToUpperInvariant() })
        {
            var page = PortalClient.Decode(await support.GetPageAsync(FindPath(query)));
            Assert.Contains("data-testid=\"found-account\"", page, StringComparison.Ordinal);
            Assert.Contains(customer.Email, page, StringComparison.Ordinal);
            Assert.Contains(customer.CustomerNumber, page, StringComparison.Ordinal);
            Assert.Contains("Belongs to no organization.", page, StringComparison.Ordinal);
        }
        var unknown = PortalClient.Decode(await support.GetPageAsync(FindPath("nobody-" + Guid.NewGuid().ToString("N") + "@example.test")));
        Assert.Contains("data-testid=\"not-found\"", unknown, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"set-up-form\"", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Support_sets_up_an_organization_whose_administrator_is_emailed_and_now_sees_the_Organization_menu()
    {
        var customer = await SignUpAsync();
        var support = await SupportAsync();
        Assert.False(await SeesOrganizationMenuAsync(customer.Client));
        Assert.Equal(HttpStatusCode.NotFound, (await customer.Client.GetAsync(OrganizationsRoutes.Organization)).StatusCode);   // checked by the page from the memberships
        Assert.Contains("Support › Organizations", PortalClient.Decode(await support.GetPageAsync("/products")), StringComparison.Ordinal);

        var name = $"Acme Render {Guid.NewGuid():N}"[..20];
        var id = await SetUpAsync(support, customer.CustomerNumber, name);

        var page = PortalClient.Decode(await support.GetPageAsync(OrganizationsRoutes.SupportOrganization(id)));
        Assert.Contains(name, page, StringComparison.Ordinal);
        Assert.Contains($"<span data-testid=\"administrator\">{customer.Email}</span>", page, StringComparison.Ordinal);
        Assert.Contains("Last administrator", page, StringComparison.Ordinal);
        var list = PortalClient.Decode(await support.GetPageAsync(OrganizationsRoutes.SupportOrganizations));
        Assert.Contains(name, list, StringComparison.Ordinal);
        Assert.Contains(customer.Email, list, StringComparison.Ordinal);
        var found = PortalClient.Decode(await support.GetPageAsync(FindPath(customer.Email)));
        Assert.Contains("data-testid=\"already-member\"", found, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"set-up-form\"", found, StringComparison.Ordinal);

        Assert.True(await SeesOrganizationMenuAsync(customer.Client));
        Assert.Equal(HttpStatusCode.OK, (await customer.Client.GetAsync(OrganizationsRoutes.Organization)).StatusCode);

        var email = await ReceivedAsync(customer.Email, $"You are an administrator of {name}");
        Assert.Contains("https://localhost/organization", email.TextBody, StringComparison.Ordinal);
        Assert.Contains(name, email.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_outside_2_to_200_characters_is_refused_and_nothing_is_set_up()
    {
        var customer = await SignUpAsync();
        var support = await SupportAsync();

        foreach (var name in new[] { "A", " ", new string('n', 201) })
        {
            var response = await support.SubmitAsync(FindPath(customer.Email), new Dictionary<string, string> { ["Form.Name"] = name });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Contains("Belongs to no organization.", PortalClient.Decode(await support.GetPageAsync(FindPath(customer.Email))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Support_appoints_a_second_administrator_but_not_an_account_already_in_an_organization()
    {
        var first = await SignUpAsync();
        var second = await SignUpAsync();
        var elsewhere = await SignUpAsync();
        var support = await SupportAsync();
        var id = await SetUpAsync(support, first.Email, "Second Admin Studio");
        await SetUpAsync(support, elsewhere.CustomerNumber, "Elsewhere Studio");

        Assert.Equal(HttpStatusCode.Redirect, (await AppointAsync(support, id, second.CustomerNumber)).StatusCode);
        var page = PortalClient.Decode(await support.GetPageAsync(OrganizationsRoutes.SupportOrganization(id)));
        Assert.Contains($"<span data-testid=\"administrator\">{second.Email}</span>", page, StringComparison.Ordinal);
        Assert.True(await SeesOrganizationMenuAsync(second.Client));
        await ReceivedAsync(second.Email, "You are an administrator of Second Admin Studio");

        foreach (var taken in new[] { elsewhere.Email, elsewhere.CustomerNumber, second.Email, first.CustomerNumber })
        {
            var refused = await AppointAsync(support, id, taken);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains(AlreadyInOrganization, PortalClient.Decode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }
        var unknown = await AppointAsync(support, id, "nobody@example.test");
        Assert.Contains("No account has the customer number or email", PortalClient.Decode(await unknown.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var after = PortalClient.Decode(await support.GetPageAsync(OrganizationsRoutes.SupportOrganization(id)));
        Assert.Equal(2, after.Split("data-testid=\"administrator\"").Length - 1);
    }

    [Fact]
    public async Task The_last_administrator_cannot_be_removed_and_a_second_one_can()
    {
        var first = await SignUpAsync();
        var second = await SignUpAsync();
        var support = await SupportAsync();
        var id = await SetUpAsync(support, first.Email, "Removal Studio");

        var lastPath = await RemovePathAsync(id, first.UserId);
        Assert.Contains(LastAdministrator, PortalClient.Decode(await support.GetPageAsync(lastPath)), StringComparison.Ordinal);
        var refused = await support.SubmitAsync(lastPath, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(LastAdministrator, PortalClient.Decode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.True(await SeesOrganizationMenuAsync(first.Client));

        Assert.Equal(HttpStatusCode.Redirect, (await AppointAsync(support, id, second.Email)).StatusCode);
        Assert.True(await SeesOrganizationMenuAsync(second.Client));
        var removed = await support.SubmitAsync(await RemovePathAsync(id, second.UserId), new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);

        Assert.False(await SeesOrganizationMenuAsync(second.Client));
        Assert.Equal(HttpStatusCode.NotFound, (await second.Client.GetAsync(OrganizationsRoutes.Organization)).StatusCode);
        Assert.Contains("Belongs to no organization.", PortalClient.Decode(await support.GetPageAsync(FindPath(second.Email))), StringComparison.Ordinal);
        var page = PortalClient.Decode(await support.GetPageAsync(OrganizationsRoutes.SupportOrganization(id)));
        Assert.DoesNotContain(second.Email, page, StringComparison.Ordinal);
        Assert.Contains(first.Email, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_concurrent_removals_of_the_last_two_administrators_remove_exactly_one()
    {
        var first = await SignUpAsync();
        var second = await SignUpAsync();
        var support = await SupportAsync();
        var id = await SetUpAsync(support, first.Email, "Race Studio");
        Assert.Equal(HttpStatusCode.Redirect, (await AppointAsync(support, id, second.Email)).StatusCode);
        var memberships = await MembershipIdsAsync(id);

        var outcomes = await Task.WhenAll(memberships.Select(async membershipId =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<RemoveAdministrator>().HandleAsync(id, membershipId, CancellationToken.None)).Outcome;
        }));

        Assert.Equal(1, outcomes.Count(o => o == RemoveAdministrator.Outcome.Removed));
        Assert.Equal(1, outcomes.Count(o => o == RemoveAdministrator.Outcome.LastAdministrator));
        Assert.Single(await MembershipIdsAsync(id));
    }

    [Fact]
    public async Task Two_concurrent_appointments_of_one_account_to_two_organizations_make_one_administrator()
    {
        var support = await SupportAsync();
        var ids = new List<Guid>();
        foreach (var n in new[] { "Left Studio", "Right Studio" })
        {
            ids.Add(await SetUpAsync(support, (await SignUpAsync()).Email, n));
        }
        var contested = await SignUpAsync();

        var outcomes = await Task.WhenAll(ids.Select(async id =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<AppointAdministrator>().HandleAsync(id, contested.Email, CancellationToken.None)).Outcome;
        }));

        Assert.Equal(1, outcomes.Count(o => o == AppointAdministrator.Outcome.Appointed));
        Assert.Equal(1, outcomes.Count(o => o == AppointAdministrator.Outcome.AlreadyInOrganization));
    }

    [Fact]
    public async Task The_database_refuses_a_second_membership_for_the_same_account()
    {
        var accountId = Guid.NewGuid().ToString("N");
        var now = DateTime.UtcNow;
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>();
        var one = Organization.SetUp(accountId, "One Per Account A", "test", now);
        var other = Organization.SetUp(Guid.NewGuid().ToString("N"), "One Per Account B", "test", now);
        db.Organizations.AddRange(one, other);
        db.Memberships.Add(Membership.Join(one.Id, accountId, "one@example.test", OrganizationRole.Administrator, now));
        await db.SaveChangesAsync();

        db.Memberships.Add(Membership.Join(other.Id, accountId, "one@example.test", OrganizationRole.Guest, now));
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        // Negative control: another account joins the same organization without complaint.
        db.ChangeTracker.Clear();
        db.Memberships.Add(Membership.Join(other.Id, Guid.NewGuid().ToString("N"), "two@example.test", OrganizationRole.Member, now));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Only_support_reaches_the_support_pages_on_every_GET_and_POST()
    {
        var owner = await SignUpAsync();
        var support = await SupportAsync();
        var id = await SetUpAsync(support, owner.Email, "Guarded Studio");
        var removePath = await RemovePathAsync(id, owner.UserId);
        var paths = new[] { OrganizationsRoutes.SupportOrganizations, FindPath(owner.Email), OrganizationsRoutes.SupportOrganization(id), removePath };
        foreach (var path in paths)
        {
            Assert.Equal(HttpStatusCode.OK, (await support.GetAsync(path)).StatusCode);
        }

        var customer = (await SignUpAsync()).Client;
        var demoAdministrator = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await demoAdministrator.SignInAsync(factory.DemoEmail, factory.DemoPassword)).StatusCode);
        Assert.True(await SeesOrganizationMenuAsync(demoAdministrator));
        foreach (var client in new[] { customer, owner.Client, demoAdministrator })
        {
            Assert.DoesNotContain("Support › Organizations", PortalClient.Decode(await client.GetPageAsync("/products")), StringComparison.Ordinal);
            // A token from a page the user may open, so antiforgery is not what refuses the posts.
            var token = PortalClient.HiddenFields(await client.GetPageAsync("/account/password")).First(f => f.Key == "__RequestVerificationToken");
            foreach (var path in paths)
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(path)).StatusCode);
                var post = await client.Http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(
                    [token, new("Form.Name", "Hijack"), new("Form.AccountId", owner.UserId), new("Form.Account", owner.Email)]));
                Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
            }
        }
        var anonymous = factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync(new Uri(OrganizationsRoutes.SupportOrganizations, UriKind.Relative))).StatusCode);

        var page = PortalClient.Decode(await support.GetPageAsync(OrganizationsRoutes.SupportOrganization(id)));
        Assert.Equal(1, page.Split("data-testid=\"administrator\"").Length - 1);
        Assert.Contains("Belongs to no organization.", PortalClient.Decode(await support.GetPageAsync(FindPath((await SignUpAsync()).Email))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_customer_is_the_administrator_of_Demo_Studio_by_membership_not_a_stored_role()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        var demo = await accounts.Users.SingleAsync(u => u.Email == factory.DemoEmail);
        var roles = await accounts.UserRoles.Where(r => r.UserId == demo.Id).Join(accounts.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync();
        Assert.DoesNotContain(ChaosModular.Accounts.Contracts.PortalRoles.OrganizationAdministrator, roles);

        var membership = await scope.ServiceProvider.GetRequiredService<IOrganizationsApi>().MembershipAsync(demo.Id, CancellationToken.None);
        Assert.Equal((OrganizationsSeeder.DemoOrganization, OrganizationRole.Administrator), (membership?.OrganizationName, membership?.Role));
    }

    private async Task<List<Guid>> MembershipIdsAsync(Guid organizationId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>().Memberships
            .Where(m => m.OrganizationId == organizationId).Select(m => m.Id).ToListAsync();
    }

    private Task<MimeMessage> ReceivedAsync(string to, string subject)
    {
        var pickup = factory.Services.GetRequiredService<IConfiguration>()["Smtp:PickupDirectory"]!;
        return Eventually.Until(async () =>
        {
            if (!Directory.Exists(pickup))
            {
                return null;
            }
            foreach (var file in Directory.GetFiles(pickup, "*.eml"))
            {
                MimeMessage message;
                try
                {
                    message = await MimeMessage.LoadAsync(file);
                }
                catch (Exception e) when (e is IOException or FormatException)
                {
                    continue; // still being written
                }
                if (message.Subject == subject && message.To.Mailboxes.Any(m => m.Address == to))
                {
                    return message;
                }
            }
            return null;
        }, Patience, $"the email '{subject}' to {to}");
    }
}
