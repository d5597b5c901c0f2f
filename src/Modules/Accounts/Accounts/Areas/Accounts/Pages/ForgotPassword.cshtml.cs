using System.ComponentModel.DataAnnotations;
using ChaosModular.Modules.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Authorization;

namespace ChaosModular.Accounts.Areas.Accounts.Pages;

/// <summary>Asks for a link to set a new password; the answer never says whether the address has an account.</summary>
[AllowAnonymous]
[FormRateLimit(FormRateLimits.ForgotPassword)]
internal sealed class ForgotPasswordModel(RequestPasswordReset request) : PageModel
{
    public const string Sent = "If an account uses that email address, we have sent it a link to set a new password. The link works once, for one hour.";

    [BindProperty]
    public Input Form { get; set; } = new();

    public bool Requested { get; private set; }

    public sealed class Input
    {
        [Required(ErrorMessage = "Enter your email address."), EmailAddress(ErrorMessage = "Enter a valid email address."), StringLength(256), Display(Name = "Email")]
        public string Email { get; set; } = "";
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        await request.HandleAsync(Form.Email, cancellationToken);
        Requested = true;
        return Page();
    }
}
