using ChaosModular.E2E.Harness;

namespace ChaosModular.E2E.Pages;

/// <summary>An email's HTML part opened in the browser, as a mail app shows it: its layout's parts and its action button.</summary>
public sealed class EmailView(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Header => Page.Locator("[data-email-part=header]");

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    public ILocator Footer => Page.Locator("[data-email-part=footer]");

    public ILocator Action(string name) => Page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    /// <summary>
    /// Opens the HTML in a blank document: content set over a portal page would keep the portal's Content-Security-Policy,
    /// which blocks the inline styles every email relies on, and the check would see an unstyled email.
    /// </summary>
    public static async Task<EmailView> OpenAsync(IPage page, ReceivedEmail email)
    {
        await page.GotoAsync("about:blank");
        await page.SetContentAsync(email.Html);
        return new EmailView(page);
    }

    /// <summary>How far the email is wider than the window: 0 when nothing makes the reader scroll sideways.</summary>
    public Task<int> HorizontalOverflowAsync() =>
        Page.EvaluateAsync<int>("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth");
}
