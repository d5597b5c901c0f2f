namespace ChaosModular.E2E.Pages;

/// <summary>/sign-in.</summary>
public sealed class SignInPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/sign-in";

    public ILocator Email => Page.GetByLabel("Email", new() { Exact = true });
    public ILocator Password => Page.GetByLabel("Password", new() { Exact = true });
    public ILocator KeepMeSignedIn => Page.GetByLabel("Keep me signed in");
    public ILocator SignInButton => Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true });

    /// <summary>"The email or password is not correct." or the lockout notice.</summary>
    public ILocator Error => Page.GetByTestId("sign-in-error");

    public static async Task<SignInPage> OpenAsync(IPage page)
    {
        var signIn = new SignInPage(page);
        await signIn.GotoAsync();
        await Expect(signIn.Heading).ToHaveTextAsync("Sign in to your account");
        return signIn;
    }

    /// <summary>Submits the form, whatever the outcome; the caller checks what the user sees.</summary>
    public async Task SubmitAsync(string email, string password)
    {
        await Email.FillAsync(email);
        await Password.FillAsync(password);
        await SignInButton.ClickAsync();
    }

    /// <summary>
    /// Submits credentials that should be refused and waits for the page to come back with its error. The
    /// re-rendered form never echoes the password, so an empty Password field tells the new page from the old one.
    /// </summary>
    public async Task AttemptRefusedSignInAsync(string email, string password)
    {
        await SubmitAsync(email, password);
        await Expect(Password).ToBeEmptyAsync();
        await Expect(Error).ToBeVisibleAsync();
    }

    /// <summary>Signs in; the portal opens on the customer's products.</summary>
    public async Task<ActiveProductsPage> SignInAsync(string email, string password)
    {
        await SubmitAsync(email, password);
        var products = new ActiveProductsPage(Page);
        await products.ExpectOpenAsync();
        return products;
    }
}
