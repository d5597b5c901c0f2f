using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChaosModular.Web.Pages.Billing;

internal sealed class IndexModel : PageModel
{
}
