using System.ComponentModel.DataAnnotations;
using ChaosModular.Modules.Infrastructure;
using ChaosModular.Accounts.Features.Registration;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace ChaosModular.Accounts.Areas.Accounts.Pages;

[AllowAnonymous]
internal sealed class SignUpModel(RegisterCustomer register, SignInManager<PortalUser> signIn) : PageModel
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
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error);
            }
            return Page();
        }
        await signIn.SignInAsync(result.User!, isPersistent: false);
        TempData["Flash"] = $"Welcome, {result.User!.Name}! Your customer number is {result.User.CustomerNumber}.";
        return RedirectToPage("/Account/Index");
    }
}
