using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ChaosModular.Web.Pages.Learning;

internal sealed class IndexModel(IOptions<PortalOptions> portal) : PageModel
{
    public IReadOnlyList<LearningLink> Links => portal.Value.LearningLinks;
}
