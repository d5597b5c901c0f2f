using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChaosModular.Web.Pages;

/// <summary>The portal opens on the customer's products, as the vendor's does.</summary>
internal sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Index", new { area = "Products" });
}
