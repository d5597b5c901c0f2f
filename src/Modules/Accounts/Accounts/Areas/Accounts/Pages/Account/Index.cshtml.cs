using System.ComponentModel.DataAnnotations;
using ChaosModular.Modules.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace ChaosModular.Accounts.Areas.Accounts.Pages.Account;

internal sealed class IndexModel(UserManager<PortalUser> users, SignInManager<PortalUser> signIn) : PageModel
{
    [BindProperty]
    public Input Form { get; set; } = new();

    public string Email { get; private set; } = "";
    public string CustomerNumber { get; private set; } = "";
    public IReadOnlyList<Country> Countries => ChaosModular.Modules.Infrastructure.Countries.All;

    public sealed class Input
    {
        [Required, StringLength(200), Display(Name = "Full name")]
        public string Name { get; set; } = "";

        [Required(ErrorMessage = "Choose your country."), Display(Name = "Country")]
        public string Country { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        Show(user);
        Form = new Input { Name = user.Name, Country = user.Country };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        Show(user);
        if (!ChaosModular.Modules.Infrastructure.Countries.IsKnown(Form.Country))
        {
            ModelState.AddModelError("Form.Country", "Choose your country from the list.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        user.Name = Form.Name.Trim();
        user.Country = Form.Country;
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Description);
            }
            return Page();
        }
        await signIn.RefreshSignInAsync(user);
        TempData["Flash"] = "Your profile was saved.";
        return RedirectToPage();
    }

    private void Show(PortalUser user)
    {
        Email = user.Email ?? "";
        CustomerNumber = user.CustomerNumber;
    }
}
