using System.ComponentModel.DataAnnotations;
using ChaosModular.Accounts.Features.Registration;
using ChaosModular.Modules.Infrastructure;
using ChaosModular.Modules.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Authorization;

namespace ChaosModular.Accounts.Areas.Accounts.Pages;

[AllowAnonymous]
/// <summary>
/// Create account. Whether the address was new or already had an account, the answer is the same "check your inbox" page
/// (the new account gets a confirmation link, an existing one's owner a notice), so the form tells no one who has an account.
/// </summary>
[FormRateLimit(FormRateLimits.SignUp)]
internal sealed class SignUpModel(RegisterCustomer register) : PageModel
{
    [BindProperty]
    public Input Form { get; set; } = new();

    public IReadOnlyList<Country> Countries => ChaosModular.Modules.Infrastructure.Countries.All;

    public sealed class Input
    {
        [Required, StringLength(200), Display(Name = "Full name")]
        public string Name { get; set; } = "";

        [Required, EmailAddress, StringLength(256), Display(Name = "Email")]
        public string Email { get; set; } = "";

        [Required, DataType(DataType.Password), Display(Name = "Password")]
        public string Password { get; set; } = "";

        [Required, Compare(nameof(Password), ErrorMessage = "The passwords do not match."), DataType(DataType.Password), Display(Name = "Confirm password")]
        public string ConfirmPassword { get; set; } = "";

        [Required(ErrorMessage = "Choose your country."), Display(Name = "Country")]
        public string Country { get; set; } = "";
    }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? RedirectToPage("/Index", new { area = "" }) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await register.HandleAsync(
            new RegisterCustomer.Command(Form.Name, Form.Email, Form.Password, Form.Country), cancellationToken);
        if (!result.Accepted)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error);
            }
            return Page();
        }
        TempData[CheckEmailModel.AddressKey] = Form.Email.Trim();
        return RedirectToPage("/CheckEmail");
    }
}
