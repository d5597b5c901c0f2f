using System.Net;

namespace ChaosModular.UnitTests.Http;

/// <summary>The layout's menu, the empty states and the configured links, as a signed-in user sees them.</summary>
public sealed class PortalPagesTests(DemoSqlitePortalFactory factory) : IClassFixture<DemoSqlitePortalFactory>
{
    private async Task<PortalClient> SignedInAsync(string? email = null, string? password = null)
    {
        var client = new PortalClient(factory.CreatePortalClient());
        if (email is null)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync("Menu Member", $"m-{Guid.NewGuid():N}@example.test", "MenuMember2026")).StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, password!)).StatusCode);
        }
        return client;
    }

    [Fact]
    public async Task The_menu_lists_every_section_and_organization_only_for_administrators()
    {
        var member = PortalClient.Decode(await (await SignedInAsync()).GetPageAsync("/products"));
        var admin = PortalClient.Decode(await (await SignedInAsync(factory.DemoEmail, factory.DemoPassword)).GetPageAsync("/products"));

        foreach (var section in new[] { "/products\">Products", "/licensing\">Licensing", "/billing\">Billing", "/learning\">Learning", "/account\">Account", "/support\" target=\"_blank\" rel=\"noopener\">Support" })
        {
            Assert.Contains(section, member, StringComparison.Ordinal);
            Assert.Contains(section, admin, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("/organization", member, StringComparison.Ordinal);
        Assert.Contains("href=\"/organization\">Organization", admin, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/products", "/products\">Products")]
    [InlineData("/products/cloud-credits", "/products\">Products")]
    [InlineData("/billing/payment-methods", "/billing\">Billing")]
    [InlineData("/account/password", "/account\">Account")]
    [InlineData("/licensing", "/licensing\">Licensing")]
    [InlineData("/learning", "/learning\">Learning")]
    public async Task The_menu_marks_the_section_of_the_page_shown(string path, string entry)
    {
        var page = PortalClient.Decode(await (await SignedInAsync()).GetPageAsync(path));
        var menu = page[page.IndexOf("aria-label=\"Main menu\"", StringComparison.Ordinal)..page.IndexOf("</nav>", StringComparison.Ordinal)];

        Assert.Single(menu.Split("nav-link active")[1..]);
        Assert.Contains($"class=\"nav-link active\" aria-current=\"page\" href=\"{entry}", menu, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Organization_is_refused_on_the_server_to_non_administrators()
    {
        // The page follows the memberships, not the role claim: an account administering no organization gets 404.
        Assert.Equal(HttpStatusCode.NotFound, (await (await SignedInAsync()).GetAsync("/organization")).StatusCode);

        var email = $"admin-{Guid.NewGuid():N}@example.test";
        var admin = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SignUpAsync("Org Admin", email, "OrgAdmin2026xx")).StatusCode);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var userId = await scope.ServiceProvider.GetRequiredService<ChaosModular.Accounts.Data.AccountsDbContext>().Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            var db = scope.ServiceProvider.GetRequiredService<ChaosModular.Organizations.Data.OrganizationsDbContext>();
            var organization = ChaosModular.Organizations.Domain.Organization.SetUp(userId, "Menu Studio", "support-test", DateTime.UtcNow);
            db.Organizations.Add(organization);
            db.Memberships.Add(ChaosModular.Organizations.Domain.Membership.Join(organization.Id, userId, email, ChaosModular.Organizations.Contracts.OrganizationRole.Administrator, DateTime.UtcNow));
            await db.SaveChangesAsync();
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/organization")).StatusCode);
    }

    [Theory]
    [InlineData("/products", "No active subscriptions yet")]
    [InlineData("/licensing", "No licenses yet")]
    [InlineData("/billing", "No invoices yet")]
    public async Task Sections_without_data_say_so_honestly(string path, string emptyState)
    {
        var page = PortalClient.Decode(await (await SignedInAsync()).GetPageAsync(path));

        Assert.Contains("data-testid=\"empty-state\"", page, StringComparison.Ordinal);
        Assert.Contains(emptyState, page, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Learning_shows_the_configured_links_and_support_opens_the_help_center()
    {
        var client = await SignedInAsync();

        var learning = PortalClient.Decode(await client.GetPageAsync("/learning"));
        foreach (var title in new[] { "Training videos", "Sample projects", "Documentation", "Knowledge base" })
        {
            Assert.Contains($"<h3 class=\"h5 card-title\">{title}</h3>", learning, StringComparison.Ordinal);
        }
        Assert.Contains("href=\"https://docs.chaos.com\"", learning, StringComparison.Ordinal);

        var support = await client.GetAsync("/support");
        Assert.Equal(HttpStatusCode.Redirect, support.StatusCode);
        Assert.Equal("https://support.example.test/hc", support.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Unknown_pages_show_a_friendly_404()
    {
        var response = await (await SignedInAsync()).GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
