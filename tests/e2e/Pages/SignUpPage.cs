using System.Text.RegularExpressions;
using ChaosModular.E2E.Harness;

namespace ChaosModular.E2E.Pages;

/// <summary>/sign-up: create an account.</summary>
public sealed partial class SignUpPage(IPage page) : PortalPage(page)
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

    public const string ConfirmationSubject = "Confirm your email address for ChaosModular";

    /// <summary>
    /// Fills the form and submits it, which signs no one in: "check your inbox". Then, as the customer would, opens the
    /// confirmation link from the email the Worker sent, signs in and goes to the account page.
    /// </summary>
    public async Task<AccountPage> CreateAccountAsync(Customer customer, Mailbox mailbox)
    {
        await FullName.FillAsync(customer.Name);
        await Email.FillAsync(customer.Email);
        await Country.SelectOptionAsync(customer.Country);
        await Password.FillAsync(customer.Password);
        await ConfirmPassword.FillAsync(customer.Password);
        await CreateAccountButton.ClickAsync();
        await Expect(Heading).ToHaveTextAsync("Check your inbox");
        await Expect(Page.GetByTestId("check-email")).ToContainTextAsync($"We sent an email to {customer.Email}.");

        var email = await mailbox.WaitForAsync(customer.Email, ConfirmationSubject);
        var link = ConfirmationLink().Match(email.Text);
        Assert.True(link.Success, $"No confirmation link in: {email.Text}");
        await Page.GotoAsync(link.Value);
        await Expect(Page.GetByTestId("email-confirmed")).ToHaveTextAsync("Your email address is confirmed. Thank you!");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true }).Last.ClickAsync();
        var products = await new SignInPage(Page).SignInAsync(customer.Email, customer.Password);
        await products.Menu.Link("Account").ClickAsync();
        var account = new AccountPage(Page);
        await account.ExpectOpenAsync();
        await Expect(Page.GetByTestId("confirm-email-banner")).ToHaveCountAsync(0);
        return account;
    }

    [GeneratedRegex(@"https?://\S+/confirm-email\?user=\S+")]
    private static partial Regex ConfirmationLink();
}
