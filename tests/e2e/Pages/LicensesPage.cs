namespace ChaosModular.E2E.Pages;

/// <summary>/licensing: Licensing › Licenses, every license with its availability.</summary>
public sealed class LicensesPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/licensing";

    public static async Task<LicensesPage> OpenAsync(IPage page)
    {
        var licenses = new LicensesPage(page);
        await licenses.GotoAsync();
        await Expect(licenses.Heading).ToHaveTextAsync("Licenses");
        return licenses;
    }

    public ILocator Rows => Page.GetByTestId("license-row");

    /// <summary>Reloads until the Worker has made the license of <paramref name="productName"/> (from the subscription's event).</summary>
    public Task WaitForLicenseAsync(string productName) =>
        Harness.Eventually.HappensAsync(async () =>
        {
            await GotoAsync();
            return await Row(productName).Locator.CountAsync() == 1;
        }, $"the {productName} license on Licensing › Licenses");

    public ILocator ServerSetupLink => Page.GetByTestId("server-setup");

    public ILocator FamilyFilter => Page.Locator("#family");

    public ILocator StateFilter => Page.Locator("#state");

    public LicenseRow Row(string productName) =>
        new(Rows.Filter(new() { Has = Page.GetByTestId("product-name").GetByText(productName, new() { Exact = true }) }));

    public async Task FilterAsync(string? family = null, string? state = null)
    {
        if (family is not null)
        {
            await FamilyFilter.SelectOptionAsync(new SelectOptionValue { Label = family });
        }
        if (state is not null)
        {
            await StateFilter.SelectOptionAsync(new SelectOptionValue { Label = state });
        }
        await Page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
    }

    /// <summary>Opens a license's page from its row.</summary>
    public async Task<ILocator> OpenAsync(string productName)
    {
        await Row(productName).ProductName.ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/licensing/licenses/[0-9a-f-]{36}$"));
        return Page.Locator("main");
    }
}

/// <summary>One license on the Licenses page.</summary>
public sealed class LicenseRow(ILocator row)
{
    public ILocator Locator => row;

    public ILocator ProductName => row.GetByTestId("product-name");

    public ILocator LicenseType => row.GetByTestId("license-type");

    public ILocator Quantity => row.GetByTestId("quantity");

    public ILocator Available => row.GetByTestId("available");

    public ILocator ExpiresOn => row.GetByTestId("expires-on");

    public ILocator State => row.GetByTestId("state");
}
