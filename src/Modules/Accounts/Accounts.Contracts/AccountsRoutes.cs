namespace ChaosModular.Accounts.Contracts;

/// <summary>
/// Accounts' addresses where a string is needed (the sign-in cookie's paths, links in emails); pages link
/// with <c>asp-area="Accounts"</c> tag helpers instead. A test resolves every route here against the running app.
/// </summary>
public static class AccountsRoutes
{
    public const string SignIn = "/sign-in";
    public const string SignUp = "/sign-up";
    public const string SignOut = "/sign-out";
    public const string Account = "/account";
    public const string Password = "/account/password";
    public const string ForgotPassword = "/forgot-password";

    /// <summary>The emailed link: <c>?user={id}&amp;token={token}</c>.</summary>
    public const string ResetPassword = "/reset-password";
}
