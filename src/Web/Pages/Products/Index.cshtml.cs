using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChaosModular.Web.Pages.Products;

internal sealed class IndexModel : PageModel
{
}
