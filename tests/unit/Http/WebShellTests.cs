using System.Net;
using System.Text.RegularExpressions;
using ChaosModular.UnitTests.Licensing;

namespace ChaosModular.UnitTests.Http;

/// <summary>The signed-out menu, the sign-in page's links, the Account tabs and Learning's order, through the real pipeline.</summary>
public sealed partial class WebShellTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    private static string MenuOf(string page) =>
        page[page.IndexOf("aria-label=\"Main menu\"", StringComparison.Ordinal)..page.IndexOf("</nav>", StringComparison.Ordinal)];

    [Theory]
    [InlineData("/sign-up")]
    [InlineData("/sign-in")]
    [InlineData("/forgot-password")]
    public async Task Signed_out_the_top_menu_offers_sign_in_and_create_account(string path)
    {
        var anonymous = new PortalClient(factory.CreatePortalClient());

        var response = await anonymous.Http.GetAsync(new Uri(path, UriKind.Relative));
        var page = PortalClient.Decode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var menu = MenuOf(page);
        Assert.Contains("data-testid=\"menu-sign-in\" href=\"/sign-in\">Sign in</a>", menu, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"menu-create-account\" href=\"/sign-up\">Create account</a>", menu, StringComparison.Ordinal);
        Assert.DoesNotContain("Sign out", menu, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/products\"", menu, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_in_the_menu_has_no_sign_in_or_create_account()
    {
        var client = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync("Shell Member", $"shell-{Guid.NewGuid():N}@example.test", "ShellMember2026")).StatusCode);

        var menu = MenuOf(PortalClient.Decode(await client.GetPageAsync("/products")));

        Assert.DoesNotContain("menu-sign-in", menu, StringComparison.Ordinal);
        Assert.DoesNotContain("menu-create-account", menu, StringComparison.Ordinal);
        Assert.Contains("Sign out", menu, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sign_in_page_links_to_sign_up_and_forgot_password()
    {
        var anonymous = new PortalClient(factory.CreatePortalClient());

        var page = PortalClient.Decode(await (await anonymous.Http.GetAsync(new Uri("/sign-in", UriKind.Relative))).Content.ReadAsStringAsync());
        var main = page[page.IndexOf("<main", StringComparison.Ordinal)..];

        Assert.Contains("class=\"small\" data-testid=\"forgot-password\" href=\"/forgot-password\">Forgot password?</a>", main, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"sign-up\" href=\"/sign-up\">Create an account</a>", main, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/account", "profile")]
    [InlineData("/account/password", "password")]
    public async Task Account_has_profile_and_password_tabs_marking_the_one_shown(string path, string current)
    {
        var client = new PortalClient(factory.CreatePortalClient());
        var email = $"tabs-{Guid.NewGuid():N}@example.test";
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync("Tab Member", email, "TabMember2026x")).StatusCode);
        string number;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            number = await scope.ServiceProvider.GetRequiredService<ChaosModular.Accounts.Data.AccountsDbContext>().Users.Where(u => u.Email == email).Select(u => u.CustomerNumber).SingleAsync();
        }

        var page = PortalClient.Decode(await client.GetPageAsync(path));

        var tabs = page[page.IndexOf("data-testid=\"account-tabs\"", StringComparison.Ordinal)..];
        tabs = tabs[..tabs.IndexOf("</ul>", StringComparison.Ordinal)];
        Assert.Equal([current], CurrentTabPattern().Matches(tabs).Select(m => m.Groups["tab"].Value));
        Assert.Contains("data-testid=\"tab-profile\" href=\"/account\">Profile</a>", tabs, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"tab-password\" href=\"/account/password\">Password</a>", tabs, StringComparison.Ordinal);
        if (current == "profile")
        {
            Assert.Contains($"value=\"{number}\" readonly aria-label=\"Customer number\" data-testid=\"customer-number\"", page, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("Current password", page, StringComparison.Ordinal);
            Assert.DoesNotContain(number, page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Learning_shows_the_owned_familys_links_from_the_catalog_first_then_the_general_ones()
    {
        var owner = await ServerAccount.SignUpAsync(factory);
        await owner.LicenseAsync(seats: 1, plan: "vray-solo-annual");
        var nobody = await ServerAccount.SignUpAsync(factory);

        var owned = PortalClient.Decode(await owner.Customer.Client.GetPageAsync("/learning"));
        var none = PortalClient.Decode(await nobody.Customer.Client.GetPageAsync("/learning"));

        Assert.Equal(["vray"], FamilyPattern().Matches(owned).Select(m => m.Groups["family"].Value));
        Assert.Equal(
            ["https://docs.chaos.com/display/VMAX", "https://www.chaos.com/learn/vray",
             "https://www.chaos.com/learn", "https://www.chaos.com/resources", "https://docs.chaos.com", "https://support.chaos.com/hc/en-us"],
            LinkPattern().Matches(owned).Select(m => m.Groups["url"].Value));
        Assert.Contains("For your V-Ray products", owned, StringComparison.Ordinal);
        Assert.DoesNotContain("docs.chaos.com/display/CRMAX", owned, StringComparison.Ordinal);   // Corona is not theirs

        Assert.Empty(FamilyPattern().Matches(none));
        Assert.Equal(["https://www.chaos.com/learn", "https://www.chaos.com/resources", "https://docs.chaos.com", "https://support.chaos.com/hc/en-us"],
            LinkPattern().Matches(none).Select(m => m.Groups["url"].Value));
    }

    [GeneratedRegex("class=\"nav-link active\" aria-current=\"page\" data-testid=\"tab-(?<tab>[a-z]+)\"")]
    private static partial Regex CurrentTabPattern();

    [GeneratedRegex("data-testid=\"learning-family\" data-family=\"(?<family>[^\"]+)\"")]
    private static partial Regex FamilyPattern();

    [GeneratedRegex("data-testid=\"learning-link\" data-url=\"(?<url>[^\"]+)\"")]
    private static partial Regex LinkPattern();
}
