using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;

namespace ChaosModular.Accounts.Areas.Accounts.Pages;

/// <summary>The emailed link: sets a new password once, then the customer signs in with it.</summary>
[AllowAnonymous]
internal sealed class ResetPasswordModel(ResetPassword reset) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true, Name = "token")]
    public string? Token { get; set; }

    [BindProperty]
    public Input Form { get; set; } = new();

    /// <summary>False when the link is unknown, used or expired: the page says so and offers a new one.</summary>
    public bool LinkValid { get; private set; } = true;

    public sealed class Input
    {
        [Required(ErrorMessage = "Enter a new password."), DataType(DataType.Password), StringLength(128), Display(Name = "New password")]
        public string NewPassword { get; set; } = "";

        [Required(ErrorMessage = "Confirm the new password."), Compare(nameof(NewPassword), ErrorMessage = "The new passwords do not match."), DataType(DataType.Password), Display(Name = "Confirm new password")]
        public string ConfirmPassword { get; set; } = "";
    }

    public async Task OnGetAsync() =>
        LinkValid = UserId is { Length: > 0 } && Token is { Length: > 0 } && await reset.IsValidAsync(UserId, Token);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (UserId is not { Length: > 0 } || Token is not { Length: > 0 })
        {
            LinkValid = false;
            return Page();
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var errors = await reset.HandleAsync(UserId, Token, Form.NewPassword, cancellationToken);
        if (errors.Contains(ResetPassword.InvalidLink))
        {
            LinkValid = false;
            return Page();
        }
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                ModelState.AddModelError(string.Empty, error);
            }
            return Page();
        }
        TempData["Flash"] = "Your password was set. Sign in with it; every other session was signed out.";
        return RedirectToPage("/SignIn");
    }
}
