namespace ChaosModular.E2E.Pages;

/// <summary>/licensing/servers: Licensing › License Servers, the servers holding seats and the borrowed seats.</summary>
public sealed class LicenseServersPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/licensing/servers";

    public ILocator ServersTab => Page.GetByTestId("tab-servers");

    public ILocator LicensesTab => Page.GetByTestId("tab-licenses");

    public ILocator Empty => Page.GetByTestId("servers-empty");

    public ILocator ServerRows => Page.GetByTestId("server-row");

    public ILocator Server(string name) => ServerRows.Filter(new() { Has = Page.GetByTestId("server-name").GetByText(name, new() { Exact = true }) });

    public ILocator BorrowRows => Page.GetByTestId("borrow-row");

    public ILocator Borrow(string machine) => BorrowRows.Filter(new() { Has = Page.GetByTestId("borrow-machine").GetByText(machine, new() { Exact = true }) });

    /// <summary>Uploads a request file on "Activate from a request file" and lands on the activation's page.</summary>
    public async Task<ActivationPage> ActivateFromFileAsync(string requestFile)
    {
        await Page.GetByTestId("activate-from-file").ClickAsync();
        await Page.GetByTestId("request-file").SetInputFilesAsync(requestFile);
        await Page.GetByTestId("upload-request").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/licensing/servers/activations/[0-9a-f-]{36}$"));
        return new ActivationPage(Page);
    }

    /// <summary>Borrows seats on the Borrow page and lands on the borrow's page.</summary>
    public async Task BorrowAsync(string productName, int seats, string machine, DateOnly returnOn)
    {
        await Page.GetByTestId("borrow-licenses").ClickAsync();
        var license = Page.GetByTestId("borrow-license");
        var option = license.Locator("option").Filter(new() { HasText = productName });
        await license.SelectOptionAsync(new SelectOptionValue { Value = await option.First.GetAttributeAsync("value") });
        await Page.GetByTestId("borrow-seats").FillAsync(seats.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.GetByTestId("borrow-machine").FillAsync(machine);
        await Page.GetByTestId("borrow-return-on").FillAsync(returnOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await Page.GetByTestId("borrow-submit").ClickAsync();
        await Expect(Page.GetByTestId("borrow-state")).ToHaveTextAsync("Borrowed");
    }

    public async Task ReturnAsync(string machine)
    {
        await Borrow(machine).GetByTestId("return-borrow").ClickAsync();
        await ExpectOpenAsync();
    }

    /// <summary>Deactivate, then confirm on the confirmation page.</summary>
    public async Task DeactivateAsync(string serverName)
    {
        await Server(serverName).GetByTestId("deactivate-server").ClickAsync();
        await Page.GetByTestId("confirm-deactivate").ClickAsync();
        await ExpectOpenAsync();
    }
}

/// <summary>/licensing/servers/activations/{id}: what a request file activated, with its response file.</summary>
public sealed class ActivationPage(IPage page)
{
    public ILocator ServerName => page.GetByTestId("activation-server");

    public ILocator GrantedSeats => page.GetByTestId("granted-seats");

    /// <summary>Downloads the activation response file to <paramref name="path"/>.</summary>
    public async Task DownloadResponseAsync(string path)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-response").ClickAsync());
        await download.SaveAsAsync(path);
    }
}
