using ChaosModular.Accounts.Contracts;
using ChaosModular.Web.Features;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChaosModular.Web.Pages.Support;

/// <summary>Support › Metrics: the key numbers of the portal now, beside the Hangfire dashboard.</summary>
[Authorize(Policy = PortalPolicies.Support)]
internal sealed class MetricsModel(SupportMetrics metrics) : PageModel
{
    public SupportMetrics.Result Numbers { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Numbers = await metrics.HandleAsync(cancellationToken);
}
