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

    public ILocator Role(string email) => Row(email).GetByTestId("user-role");

    public async Task<BulkInvitePage> OpenBulkInviteAsync()
    {
        await Page.GetByTestId("invite-user").ClickAsync();
        await Page.GetByTestId("tab-bulk").ClickAsync();
        var bulk = new BulkInvitePage(Page);
        await bulk.ExpectOpenAsync();
        return bulk;
    }

    /// <summary>Ticks the users, then Assign products → Continue with N users → the products with licenses per user → the date (the latest offered) → Assign to N users.</summary>
    public async Task AssignToTickedAsync(IReadOnlyList<string> emails, string productCode, int licensesPerUser)
    {
        foreach (var email in emails)
        {
            await Row(email).GetByTestId("select-user").CheckAsync();
        }
        await Page.GetByTestId("assign-selected").ClickAsync();
        await Expect(Page.GetByTestId("assign-user")).ToHaveCountAsync(emails.Count);
        await Page.GetByTestId("continue-users").ClickAsync();
        var product = Page.Locator($"[data-testid=product-choice][data-product=\"{productCode}\"]");
        await product.GetByRole(AriaRole.Checkbox).CheckAsync();
        await product.GetByRole(AriaRole.Spinbutton).FillAsync(licensesPerUser.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.GetByTestId("continue-products").ClickAsync();
        await Page.GetByTestId("continue-date").ClickAsync();
        await Expect(Page.GetByTestId("assign")).ToHaveTextAsync($"Assign to {emails.Count} users");
        await Page.GetByTestId("assign").ClickAsync();
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

/// <summary>Invite users › Bulk (/organization/invite/bulk) and the pages a bulk invite goes through.</summary>
public sealed class BulkInvitePage(IPage page) : PortalPage(page)
{
    protected override string Path => "/organization/invite/bulk";

    /// <summary>Uploads the file and lands on its review page.</summary>
    public async Task<BulkInviteReviewPage> UploadAsync(string file)
    {
        await Page.GetByLabel("CSV file").SetInputFilesAsync(file);
        await Page.GetByTestId("upload").ClickAsync();
        var review = new BulkInviteReviewPage(Page);
        await Expect(review.ReadyCount).ToBeVisibleAsync();
        return review;
    }
}

/// <summary>/organization/bulk-invites/{id}/review: every row's state; roles change here before anything is sent.</summary>
public sealed class BulkInviteReviewPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator ReadyCount => Page.GetByTestId("ready-count");

    public ILocator Row(string email) => Page.Locator($"[data-testid=review-row][data-email=\"{email}\"]");

    public async Task ChangeRoleAsync(string email, string role)
    {
        await Row(email).First.GetByRole(AriaRole.Combobox).SelectOptionAsync(role);
        await Page.GetByTestId("save-roles").ClickAsync();
        await Expect(Row(email).First).ToHaveAttributeAsync("data-role", role);
    }

    public async Task<BulkInviteStatusPage> SendAsync()
    {
        await Page.GetByTestId("send-invites").ClickAsync();
        var status = new BulkInviteStatusPage(Page);
        await Expect(status.Status).ToBeVisibleAsync();
        return status;
    }
}

/// <summary>/organization/bulk-invites/{id}: the progress bar, counts and each row's result; it reloads itself while sending.</summary>
public sealed class BulkInviteStatusPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Status => Page.GetByTestId("bulk-status");

    public ILocator Progress => Page.GetByTestId("progress");

    public ILocator Counts => Page.GetByTestId("bulk-counts");
}

/// <summary>Remove users › Via .csv (/organization/remove/csv): upload emails, review who goes, remove them.</summary>
public sealed class RemoveUsersByCsvPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/organization/remove/csv";

    public ILocator Summary => Page.GetByTestId("removal-summary");

    public ILocator ConfirmButton => Page.GetByTestId("confirm-remove");

    public async Task UploadAsync(string file)
    {
        await Page.GetByLabel("CSV file").SetInputFilesAsync(file);
        await Page.GetByTestId("upload").ClickAsync();
        await Expect(Summary).ToBeVisibleAsync();
    }
}

/// <summary>Organization › Products (/organization/products): the organization's licenses, allocated and free seats.</summary>
public sealed class OrganizationProductsPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/organization/products";

    public ILocator License(string productCode) => Page.Locator($"[data-testid=organization-license][data-product=\"{productCode}\"]");
}
