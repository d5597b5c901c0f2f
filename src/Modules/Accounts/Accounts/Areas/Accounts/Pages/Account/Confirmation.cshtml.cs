using ChaosModular.Modules.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Identity;

namespace ChaosModular.Accounts.Areas.Accounts.Pages.Account;

/// <summary>
/// Where paying, inviting or accepting an invitation sends an account whose address is not confirmed: what is waiting and
/// "Send the link again" (the banner posts here too). Once confirmed, it shows the way back.
/// </summary>
[FormRateLimit(FormRateLimits.ConfirmationEmail, Handler = "Resend")]
internal sealed class ConfirmationModel(UserManager<PortalUser> users, ResendEmailConfirmation resend) : PageModel
{
    public string Email { get; private set; } = "";

    public bool Confirmed { get; private set; }

    /// <summary>A path on this site only; anything else is dropped.</summary>
    public string? ReturnUrl { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }
        Email = user.Email!;
        Confirmed = user.EmailConfirmed;
        ReturnUrl = Url.IsLocalUrl(returnUrl) ? returnUrl : null;
        return Page();
    }

    public async Task<IActionResult> OnPostResendAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        if (users.GetUserId(User) is not { } userId)
        {
            return Challenge();
        }
        var outcome = await resend.HandleAsync(userId, cancellationToken);
        TempData["Flash"] = outcome == ResendEmailConfirmation.Outcome.Sent
            ? $"We sent a new confirmation link to {User.Identity!.Name}. It works for {EmailConfirmationTokens.Lifespan.TotalDays:0} days."
            : "Your email address is already confirmed.";
        return RedirectToPage(new { returnUrl = Url.IsLocalUrl(returnUrl) ? returnUrl : null });
    }
}
