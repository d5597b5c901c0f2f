using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChaosModular.Web.Pages.Licensing;

internal sealed class IndexModel : PageModel
{
}
