using System.Text.RegularExpressions;

namespace ChaosModular.E2E.Pages;

/// <summary>/support/organizations: support finds an account and sets up its organization.</summary>
public sealed class SupportOrganizationsPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/support/organizations";

    public ILocator FoundAccount => Page.GetByTestId("found-account");

    public static async Task<SupportOrganizationsPage> OpenAsync(IPage page)
    {
        var organizations = new SupportOrganizationsPage(page);
        await organizations.GotoAsync();
        await Expect(organizations.Heading).ToHaveTextAsync("Organizations");
        return organizations;
    }

    public async Task FindAsync(string customerNumberOrEmail)
    {
        await Page.GetByLabel("Customer number or email").FillAsync(customerNumberOrEmail);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Find", Exact = true }).ClickAsync();
        await Expect(FoundAccount).ToContainTextAsync(customerNumberOrEmail);
    }

    /// <summary>Sets up the found account's organization; support lands on the organization's page.</summary>
    public async Task SetUpAsync(string name)
    {
        await Page.GetByTestId("set-up-form").GetByRole(AriaRole.Textbox).FillAsync(name);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Set up organization" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/support/organizations/[0-9a-f-]{36}$"));
    }
}

/// <summary>/organization: the organization's users and invitations, for its administrators.</summary>
public sealed class OrganizationUsersPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/organization";

    public ILocator OrganizationName => Page.GetByTestId("organization-name");

    public ILocator Row(string email) => Page.Locator($"[data-testid=user-row][data-email=\"{email}\"]");

    public ILocator Status(string email) => Row(email).GetByTestId("user-status");

    public static async Task<OrganizationUsersPage> OpenAsync(IPage page)
    {
        var users = new OrganizationUsersPage(page);
        await users.GotoAsync();
        await Expect(users.Heading).ToHaveTextAsync("Users");
        return users;
    }

    /// <summary>Invite users › Individual: sends one invitation and comes back to the list.</summary>
    public async Task InviteAsync(string email, string role)
    {
        await Page.GetByTestId("invite-user").ClickAsync();
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel(role, new() { Exact = false }).First.CheckAsync();
        await Page.GetByTestId("send-invite").ClickAsync();
        await ExpectOpenAsync();
        await Expect(Flash).ToContainTextAsync(email);
    }
}

/// <summary>/organization/invitations/{token}: the emailed link's page where the invitee accepts.</summary>
public sealed class InvitationPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/organization/invitations";

    public ILocator Summary => Page.GetByTestId("invitation-summary");

    public async Task AcceptAsync()
    {
        await Page.GetByTestId("accept-invitation").ClickAsync();
        await Expect(Page.GetByTestId("accept-invitation")).ToHaveCountAsync(0);
    }

    /// <summary>The accept link in the invitation email's text.</summary>
    public static string LinkIn(string emailText) =>
        Regex.Match(emailText, @"https?://\S+/organization/invitations/[A-Za-z0-9_\-]+").Value is { Length: > 0 } link
            ? link
            : throw new InvalidOperationException("The invitation email has no accept link: " + emailText);
}
