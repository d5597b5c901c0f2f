using Microsoft.AspNetCore.Authorization;

namespace ChaosModular.Accounts.Areas.Accounts.Pages;

/// <summary>After Create account: where the confirmation link went, and that signing in works before it is opened.</summary>
[AllowAnonymous]
internal sealed class CheckEmailModel : PageModel
{
    public const string AddressKey = "SignUpAddress";

    public string? Address { get; private set; }

    public void OnGet() => Address = TempData[AddressKey] as string;
}
