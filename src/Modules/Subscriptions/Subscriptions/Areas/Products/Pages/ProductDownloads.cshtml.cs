using Microsoft.Extensions.Options;

namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>A subscription's Download button: that product's builds, the visitor's system first, and the vendor's full downloads page.</summary>
internal sealed class ProductDownloadsModel(ListDownloads downloads, ICurrentCustomer customer, IOptions<SubscriptionsOptions> options) : PageModel
{
    public ListDownloads.ForProduct Downloads { get; private set; } = null!;

    public string VendorDownloadsUrl => options.Value.VendorDownloadsUrl;

    public async Task<IActionResult> OnGetAsync(string product, CancellationToken cancellationToken)
    {
        if (await downloads.ForProductAsync(customer.Id, product, Request.Headers.UserAgent.ToString(), cancellationToken) is not { } found)
        {
            return NotFound();
        }
        Downloads = found;
        return Page();
    }
}
