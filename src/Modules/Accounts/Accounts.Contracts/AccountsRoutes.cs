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

    /// <summary>The emailed link that confirms an account's address: <c>?user={id}&amp;token={token}</c>.</summary>
    public const string ConfirmEmail = "/confirm-email";

    /// <summary>Where a signed-in account with an unconfirmed address is sent when it tries to pay, invite or accept an invitation.</summary>
    public const string EmailConfirmationNeeded = "/account/confirm-email";
}
