
namespace ChaosModular.CloudCredits.Areas.CloudCredits.Pages;

/// <summary>Cloud Credits: the signed-in customer's grants with totals, and the way to Chaos Cloud.</summary>
internal sealed class IndexModel(CustomerCredits credits, StartRenderingLink startRendering, ICurrentCustomer customer) : PageModel
{
    public CustomerCredits.Result Credits { get; private set; } = new([]);

    public string? StartRenderingUrl { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Credits = await credits.HandleAsync(customer.Id, cancellationToken);
        StartRenderingUrl = await startRendering.ResolveAsync(cancellationToken);
    }
}
