namespace ChaosModular.E2E.Pages;

/// <summary>/account: profile, customer number, link to change the password.</summary>
public sealed class AccountPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/account";

    public ILocator CustomerNumber => Page.GetByTestId("customer-number");
    public ILocator Email => Page.GetByTestId("account-email");
    public ILocator FullName => Page.GetByLabel("Full name", new() { Exact = true });
    public ILocator ChangePasswordLink => Page.GetByTestId("tab-password");
    public ILocator ProfileTab => Page.GetByTestId("tab-profile");

    public Task<string> ReadCustomerNumberAsync() => CustomerNumber.InputValueAsync();

    public async Task<ChangePasswordPage> OpenChangePasswordAsync()
    {
        await ChangePasswordLink.ClickAsync();
        var password = new ChangePasswordPage(Page);
        await password.ExpectOpenAsync();
        return password;
    }
}
