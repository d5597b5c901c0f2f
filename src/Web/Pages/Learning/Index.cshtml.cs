using ChaosModular.Modules.Abstractions;
using ChaosModular.Web.Features;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChaosModular.Web.Pages.Learning;

/// <summary>Learning: the resources of the customer's product families first, then the general ones.</summary>
internal sealed class IndexModel(LearningForCustomer learning, ICurrentCustomer customer) : PageModel
{
    public LearningForCustomer.Result Shown { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Shown = await learning.HandleAsync(customer.Id, cancellationToken);
}
