namespace ChaosModular.E2E.Pages;

/// <summary>/account/password.</summary>
public sealed class ChangePasswordPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/account/password";

    public ILocator CurrentPassword => Page.GetByLabel("Current password", new() { Exact = true });
    public ILocator NewPassword => Page.GetByLabel("New password", new() { Exact = true });
    public ILocator ConfirmNewPassword => Page.GetByLabel("Confirm new password", new() { Exact = true });
    public ILocator ChangePasswordButton => Page.GetByRole(AriaRole.Button, new() { Name = "Change password" });
    public ILocator Errors => Page.GetByTestId("password-errors");

    /// <summary>Changes the password; success returns to the account page with a confirmation.</summary>
    public async Task<AccountPage> ChangeAsync(string current, string next)
    {
        await CurrentPassword.FillAsync(current);
        await NewPassword.FillAsync(next);
        await ConfirmNewPassword.FillAsync(next);
        await ChangePasswordButton.ClickAsync();
        var account = new AccountPage(Page);
        await account.ExpectOpenAsync();
        return account;
    }
}
