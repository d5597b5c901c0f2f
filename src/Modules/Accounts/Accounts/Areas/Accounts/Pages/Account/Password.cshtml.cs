using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;

namespace ChaosModular.Accounts.Areas.Accounts.Pages.Account;

internal sealed class PasswordModel(UserManager<PortalUser> users, SignInManager<PortalUser> signIn, ChangePassword changePassword) : PageModel
{
    [BindProperty]
    public Input Form { get; set; } = new();

    public sealed class Input
    {
        [Required, DataType(DataType.Password), Display(Name = "Current password")]
        public string CurrentPassword { get; set; } = "";

        [Required, DataType(DataType.Password), Display(Name = "New password")]
        public string NewPassword { get; set; } = "";

        [Required, Compare(nameof(NewPassword), ErrorMessage = "The new passwords do not match."), DataType(DataType.Password), Display(Name = "Confirm new password")]
        public string ConfirmPassword { get; set; } = "";
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
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        var errors = await changePassword.HandleAsync(user, Form.CurrentPassword, Form.NewPassword, cancellationToken);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                ModelState.AddModelError(string.Empty, error);
            }
            return Page();
        }
        await signIn.RefreshSignInAsync(user);
        TempData["Flash"] = "Your password was changed. Other sessions have been signed out.";
        return RedirectToPage("/Account/Index");
    }
}
