namespace ChaosModular.E2E.Harness;

/// <summary>
/// The negative controls of <see cref="Accessibility"/>: pages served to Chromium by Playwright (no portal), one with an
/// image that has no text alternative in the page, one with a button that has no name inside a frame. Each fails the
/// check, naming the rule; the same page without the fault passes, so the check is not failing everything.
/// </summary>
public sealed class AccessibilityCheckTests : IAsyncLifetime
{
    private const string Host = "http://a11y.test";
    private const string Image = "<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" width=\"10\" height=\"10\">";

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = PortalFixture.Chromium(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    [Theory]
    [InlineData("image-alt", "/in-the-page", $"<main><h1>Invoices</h1>{Image}</main>", "", "img")]
    [InlineData("button-name", "/in-a-frame", "<main><h1>Card</h1><iframe title=\"Card fields\" src=\"/frame\"></iframe></main>",
        "<main><button type=\"button\"></button></main>", "iframe")]
    public async Task A_serious_violation_fails_the_check_with_its_rule(string rule, string path, string body, string frameBody, string target)
    {
        var page = await OpenAsync(path, body, frameBody);

        var violations = await Accessibility.ViolationsAsync(page);
        var failure = await Assert.ThrowsAsync<Xunit.Sdk.XunitException>(() => Accessibility.CheckAsync(page));

        var violation = Assert.Single(violations);
        Assert.Equal(rule, violation.Id);
        Assert.Contains(target, Assert.Single(violation.Nodes).Target, StringComparison.Ordinal);
        Assert.Contains($"{violation.Impact} {rule}: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"{Host}{path}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_pages_with_the_faults_mended_pass()
    {
        var page = await OpenAsync("/mended", $"<main><h1>Invoices</h1>{Image.Replace("<img ", "<img alt=\"Logo\" ", StringComparison.Ordinal)}"
            + "<iframe title=\"Card fields\" src=\"/frame\"></iframe></main>", "<main><button type=\"button\">Pay</button></main>");

        Assert.Empty(await Accessibility.ViolationsAsync(page));
        await Accessibility.CheckAsync(page);
    }

    private async Task<IPage> OpenAsync(string path, string body, string frameBody)
    {
        var page = await _browser.NewPageAsync();
        await page.RouteAsync($"{Host}/**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Body = $"<!doctype html><html lang=\"en\"><head><title>Check</title></head><body>"
                + (route.Request.Url.EndsWith("/frame", StringComparison.Ordinal) ? frameBody : body) + "</body></html>",
        }));
        await page.GotoAsync(Host + path);
        return page;
    }
}
