using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace ChaosModular.Accounts.Areas.Accounts.Pages;

/// <summary>The emailed link. Opening it confirms the address; a signed-in session of that account gets the news at once.</summary>
[AllowAnonymous]
internal sealed class ConfirmEmailModel(ConfirmEmail confirm, UserManager<PortalUser> users, SignInManager<PortalUser> signIn) : PageModel
{
    public const string InvalidLink = "This link has expired or is not complete. Sign in and ask for a new one from the banner at the top of the page.";

    public ConfirmEmail.Outcome Outcome { get; private set; }

    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public async Task OnGetAsync(string? user, string? token)
    {
        Outcome = await confirm.HandleAsync(user ?? "", token ?? "");
        if (Outcome != ConfirmEmail.Outcome.InvalidLink && SignedIn && users.GetUserId(User) == user
            && await users.FindByIdAsync(user!) is { } account)
        {
            await signIn.RefreshSignInAsync(account);
        }
    }
}
