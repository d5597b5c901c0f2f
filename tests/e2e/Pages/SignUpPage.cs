namespace ChaosModular.E2E.Pages;

/// <summary>/sign-up: create an account.</summary>
public sealed class SignUpPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/sign-up";

    public ILocator FullName => Page.GetByLabel("Full name", new() { Exact = true });
    public ILocator Email => Page.GetByLabel("Email", new() { Exact = true });
    public ILocator Country => Page.GetByLabel("Country", new() { Exact = true });
    public ILocator Password => Page.GetByLabel("Password", new() { Exact = true });
    public ILocator ConfirmPassword => Page.GetByLabel("Confirm password", new() { Exact = true });
    public ILocator CreateAccountButton => Page.GetByRole(AriaRole.Button, new() { Name = "Create account" });
    public ILocator Errors => Page.GetByTestId("sign-up-errors");

    public static async Task<SignUpPage> OpenAsync(IPage page)
    {
        var signUp = new SignUpPage(page);
        await signUp.GotoAsync();
        await Expect(signUp.Heading).ToHaveTextAsync("Create your account");
        return signUp;
    }

    /// <summary>Fills the form and submits it; a successful sign-up signs the customer in and opens their account.</summary>
    public async Task<AccountPage> CreateAccountAsync(Customer customer)
    {
        await FullName.FillAsync(customer.Name);
        await Email.FillAsync(customer.Email);
        await Country.SelectOptionAsync(customer.Country);
        await Password.FillAsync(customer.Password);
        await ConfirmPassword.FillAsync(customer.Password);
        await CreateAccountButton.ClickAsync();
        var account = new AccountPage(Page);
        await account.ExpectOpenAsync();
        return account;
    }
}
