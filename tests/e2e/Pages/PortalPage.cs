using ChaosModular.E2E.Harness;
using System.Text.RegularExpressions;

namespace ChaosModular.E2E.Pages;

/// <summary>What every page of the portal has: the layout's main menu, the flash message and a heading.</summary>
public abstract class PortalPage(IPage page)
{
    public IPage Page { get; } = page;

    /// <summary>The path this page lives at, used to check the browser really is on it.</summary>
    protected abstract string Path { get; }

    public MainMenu Menu => new(Page);

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    /// <summary>The green message shown once after a redirect ("Your password was changed...").</summary>
    public ILocator Flash => Page.GetByTestId("flash");

    public async Task GotoAsync()
    {
        await Page.GotoAsync(Path);
        await Accessibility.CheckAsync(Page);
    }

    /// <summary>Waits (Playwright's auto-retrying assertion) until the browser shows this page, then checks it with axe-core.</summary>
    public async Task ExpectOpenAsync()
    {
        await Expect(Page).ToHaveURLAsync(new Regex($"^[^?#]*//[^/]+{Regex.Escape(Path)}(\\?.*)?$"));
        await Accessibility.CheckAsync(Page);
    }
}

/// <summary>The top navbar a signed-in user sees.</summary>
public sealed class MainMenu(IPage page)
{
    public ILocator Navigation => page.GetByRole(AriaRole.Navigation, new() { Name = "Main menu" });

    /// <summary>The menu entries (not the brand link or the sign-out form).</summary>
    public ILocator Items => Navigation.GetByRole(AriaRole.Listitem);

    public ILocator Link(string name) => Navigation.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    public ILocator SignedInAs => page.GetByTestId("signed-in-as");

    public ILocator SignOutButton => Navigation.GetByRole(AriaRole.Button, new() { Name = "Sign out" });

    public async Task<SignInPage> SignOutAsync()
    {
        await SignOutButton.ClickAsync();
        var signIn = new SignInPage(page);
        await signIn.ExpectOpenAsync();
        return signIn;
    }
}
