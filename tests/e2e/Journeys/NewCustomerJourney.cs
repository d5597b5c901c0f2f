using System.Text.RegularExpressions;
using ChaosModular.E2E.Harness;
using ChaosModular.E2E.Pages;

namespace ChaosModular.E2E.Journeys;

/// <summary>
/// A new customer's first visit, end to end in Chromium against the real Web and Worker processes.
/// Web runs with Jobs__RunServerInWeb=false: it only enqueues. Every email in these journeys therefore
/// proves that the separate Worker process picked the job up (outbox → Hangfire on PostgreSQL → SMTP).
/// </summary>
public sealed partial class NewCustomerJourney(PortalFixture portal, ITestOutputHelper output) : PortalTest(portal, output)
{
    private const string WelcomeSubject = "Welcome to ChaosModular";
    private const string PasswordChangedSubject = "Your ChaosModular password was changed";

    [Fact]
    public Task Signs_up_gets_the_welcome_email_from_the_Worker_changes_password_and_only_the_new_one_works() => JourneyAsync(async page =>
    {
        var customer = Customer.New();
        const string newPassword = "Sampling2027Yz";

        // Sign up, confirm the address from the emailed link, sign in: the account page shows a 9-digit customer number.
        var signUp = await SignUpPage.OpenAsync(page);
        var account = await signUp.CreateAccountAsync(customer, Mailbox);
        await Expect(account.CustomerNumber).ToHaveValueAsync(NineDigits());
        var customerNumber = await account.ReadCustomerNumberAsync();
        await Expect(account.Email).ToHaveValueAsync(customer.Email);
        await Expect(account.FullName).ToHaveValueAsync(customer.Name);
        await Expect(account.Menu.SignedInAs).ToHaveTextAsync(customer.Email);

        // The menu of a customer who administers no organization.
        await Expect(account.Menu.Items).ToHaveTextAsync(
            ["Products", "Licensing", "Billing", "Learning", "Account", "Support (opens in a new tab)"]);
        await Expect(account.Menu.Link("Organization")).ToHaveCountAsync(0);

        // The welcome email reaches the SMTP listener, addressed to the customer, with their customer number.
        var welcome = await Mailbox.WaitForAsync(customer.Email, WelcomeSubject);
        Assert.Equal([customer.Email], welcome.To);
        Assert.Contains($"Your customer number is {customerNumber}.", welcome.Text, StringComparison.Ordinal);
        Assert.Contains(customerNumber, welcome.Html, StringComparison.Ordinal);
        Assert.Contains($"{Portal.BaseUrl}account", welcome.Text, StringComparison.Ordinal);
        await AssertOnlyTheWorkerRunsJobsAsync();

        // Sign out, then back in: the portal opens on Products, empty for now.
        var signIn = await account.Menu.SignOutAsync();
        await Expect(signIn.Menu.SignOutButton).ToHaveCountAsync(0);
        await Expect(signIn.Menu.Link("Sign in")).ToBeVisibleAsync();
        await Expect(signIn.Menu.Link("Create account")).ToBeVisibleAsync();
        var products = await signIn.SignInAsync(customer.Email, customer.Password);
        await Expect(products.Heading).ToHaveTextAsync("Products");
        await Expect(products.EmptyState).ToContainTextAsync("No active subscriptions yet");

        // Change the password from the account page.
        await products.Menu.Link("Account").ClickAsync();
        account = new AccountPage(page);
        await account.ExpectOpenAsync();
        await Expect(account.ProfileTab).ToHaveAttributeAsync("aria-current", "page");
        var changePassword = await account.OpenChangePasswordAsync();
        await Expect(account.ChangePasswordLink).ToHaveAttributeAsync("aria-current", "page");
        account = await changePassword.ChangeAsync(customer.Password, newPassword);
        await Expect(account.Flash).ToContainTextAsync("Your password was changed");

        // The notice that the password changed arrives too (again sent by the Worker).
        var notice = await Mailbox.WaitForAsync(customer.Email, PasswordChangedSubject);
        Assert.Equal([customer.Email], notice.To);
        Assert.Contains("was changed", notice.Text, StringComparison.Ordinal);
        await AssertOnlyTheWorkerRunsJobsAsync();

        // The old password no longer works; the user sees why and stays on the sign-in page.
        signIn = await account.Menu.SignOutAsync();
        await signIn.AttemptRefusedSignInAsync(customer.Email, customer.Password);
        await Expect(signIn.Error).ToHaveTextAsync("The email or password is not correct.");
        await signIn.ExpectOpenAsync();

        // The new one does.
        products = await signIn.SignInAsync(customer.Email, newPassword);
        await Expect(products.Menu.SignedInAs).ToHaveTextAsync(customer.Email);
    });

    [Fact]
    public Task A_visitor_sent_to_sign_in_returns_to_the_page_they_asked_for() => JourneyAsync(async page =>
    {
        var customer = Customer.New(name: "Ben Shader", country: "BG");
        var account = await (await SignUpPage.OpenAsync(page)).CreateAccountAsync(customer, Mailbox);
        await account.Menu.SignOutAsync();

        await page.GotoAsync("/account/password");

        var signIn = new SignInPage(page);
        await signIn.ExpectOpenAsync();
        await Expect(page).ToHaveURLAsync(new Regex("ReturnUrl=%2Faccount%2Fpassword"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Create an account" })).ToBeVisibleAsync();
        await signIn.SubmitAsync(customer.Email, customer.Password);
        var changePassword = new ChangePasswordPage(page);
        await changePassword.ExpectOpenAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Change password", Level = 2 })).ToBeVisibleAsync();
    });

    [Fact]
    public Task Five_wrong_passwords_lock_the_account_even_against_the_right_one() => JourneyAsync(async page =>
    {
        var customer = Customer.New(name: "Cleo Lockout", country: "US");
        var account = await (await SignUpPage.OpenAsync(page)).CreateAccountAsync(customer, Mailbox);
        var signIn = await account.Menu.SignOutAsync();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await signIn.AttemptRefusedSignInAsync(customer.Email, $"Wrong{attempt}Password");
            await Expect(signIn.Error).ToHaveTextAsync("The email or password is not correct.");
        }
        await signIn.AttemptRefusedSignInAsync(customer.Email, "Wrong5Password");
        await Expect(signIn.Error).ToContainTextAsync("locked");

        await signIn.AttemptRefusedSignInAsync(customer.Email, customer.Password);
        await Expect(signIn.Error).ToContainTextAsync("locked");
        await signIn.ExpectOpenAsync();
    });

    [Fact]
    public Task A_locked_out_customer_sets_a_new_password_from_the_emailed_link_and_the_link_works_once() => JourneyAsync(async page =>
    {
        var customer = Customer.New(name: "Fern Forgetful", country: "AT");
        const string newPassword = "Remembered2027Ab";
        var signIn = await (await (await SignUpPage.OpenAsync(page)).CreateAccountAsync(customer, Mailbox)).Menu.SignOutAsync();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await signIn.AttemptRefusedSignInAsync(customer.Email, $"Wrong{attempt}Password");
        }
        await Expect(signIn.Error).ToContainTextAsync("locked");

        // Forgot password? on the sign-in page: the answer does not say whether the address has an account.
        await page.GetByRole(AriaRole.Link, new() { Name = "Forgot password?" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Forgot your password?" })).ToBeVisibleAsync();
        await page.GetByLabel("Email").FillAsync(customer.Email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a link" }).ClickAsync();
        await Expect(page.GetByTestId("reset-requested")).ToHaveTextAsync(
            "If an account uses that email address, we have sent it a link to set a new password. The link works once, for one hour.");

        // The Worker emails the link; following it sets the new password and lifts the lockout.
        var email = await Mailbox.WaitForAsync(customer.Email, "Set a new ChaosModular password");
        var link = ResetLink().Match(email.Text).Groups[1].Value;
        Assert.StartsWith($"{Portal.BaseUrl}reset-password?user=", link, StringComparison.Ordinal);
        await page.GotoAsync(link);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(newPassword);
        await page.GetByLabel("Confirm new password").FillAsync(newPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        signIn = new SignInPage(page);
        await signIn.ExpectOpenAsync();
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("Your password was set.");
        var products = await signIn.SignInAsync(customer.Email, newPassword);
        await Expect(products.Menu.SignedInAs).ToHaveTextAsync(customer.Email);

        // The link worked once.
        await page.GotoAsync(link);
        await Expect(page.GetByTestId("reset-link-invalid")).ToHaveTextAsync("This link has expired or was already used. Ask for a new one below.");
    });

    [Fact]
    public Task Changing_the_password_signs_out_the_customers_other_browser() => JourneyAsync(async page =>
    {
        var customer = Customer.New(name: "Dora Denoise", country: "FR");
        var account = await (await SignUpPage.OpenAsync(page)).CreateAccountAsync(customer, Mailbox);

        var otherBrowser = await NewBrowserSessionAsync();
        var elsewhere = await (await SignInPage.OpenAsync(otherBrowser)).SignInAsync(customer.Email, customer.Password);
        await Expect(elsewhere.Menu.SignedInAs).ToHaveTextAsync(customer.Email);

        account = await (await account.OpenChangePasswordAsync()).ChangeAsync(customer.Password, "Sampling2027Yz");
        await Expect(account.Flash).ToContainTextAsync("Other sessions have been signed out.");

        // The browser that changed it stays signed in; the other one is sent to sign in on its next page.
        await account.Menu.Link("Products").ClickAsync();
        await new ActiveProductsPage(page).ExpectOpenAsync();
        await elsewhere.Menu.Link("Account").ClickAsync();
        var signIn = new SignInPage(otherBrowser);
        await signIn.ExpectOpenAsync();
        await Expect(signIn.Menu.SignOutButton).ToHaveCountAsync(0);
    });

    /// <summary>
    /// The separation the emails rely on, checked in Hangfire's own tables: the only registered server is the
    /// Worker process, and every job that has been processed was processed there, never in Web.
    /// </summary>
    private async Task AssertOnlyTheWorkerRunsJobsAsync()
    {
        var worker = $":worker:{Portal.Worker.Id}:";
        var servers = await Portal.HangfireServersAsync();
        Assert.NotEmpty(servers);
        Assert.All(servers, id => Assert.Contains(worker, id, StringComparison.OrdinalIgnoreCase));
        var processedBy = await Portal.ServersThatProcessedJobsAsync();
        Assert.NotEmpty(processedBy);
        Assert.All(processedBy, id => Assert.Contains(worker, id, StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex(@"^\d{9}$")]
    private static partial Regex NineDigits();

    [GeneratedRegex(@"Set a new password: (\S+)")]
    private static partial Regex ResetLink();
}
