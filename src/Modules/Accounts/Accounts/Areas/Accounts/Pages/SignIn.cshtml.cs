using System.ComponentModel.DataAnnotations;
using ChaosModular.Modules.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace ChaosModular.Accounts.Areas.Accounts.Pages;

[AllowAnonymous]
[FormRateLimit(FormRateLimits.SignIn)]
internal sealed class SignInModel(SignInManager<PortalUser> signIn) : PageModel
{
    [BindProperty]
    public Input Form { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public sealed class Input
    {
        [Required, EmailAddress, Display(Name = "Email")]
        public string Email { get; set; } = "";

        [Required, DataType(DataType.Password), Display(Name = "Password")]
        public string Password { get; set; } = "";

        [Display(Name = "Keep me signed in")]
        public bool RememberMe { get; set; }
    }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect(SafeReturnUrl) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        // A checkbox posted with anything but true/false fails binding, and the page shown again would throw trying to
        // tick it (FormatException): shown unticked, with a message.
        const string rememberMe = $"{nameof(Form)}.{nameof(Input.RememberMe)}";
        if (ModelState.GetFieldValidationState(rememberMe) == Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid)
        {
            ModelState.Remove(rememberMe);
            ModelState.AddModelError(string.Empty, "Tick or untick \u201cKeep me signed in\u201d.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(Form.Email.Trim(), Form.Password, Form.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(SafeReturnUrl);
        }
        Error = result.IsLockedOut
            ? $"Too many failed sign-in attempts. This account is locked for {AccountsModule.LockoutDuration.TotalMinutes:0} minutes; try again later or set a new password with Forgot password."
            : "The email or password is not correct.";
        return Page();
    }

    private string SafeReturnUrl => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";
}
