using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>Downloads: the latest builds, per operating system, of the products the customer has an active subscription for.</summary>
internal sealed class DownloadsModel(ListDownloads downloads, ICurrentCustomer customer) : PageModel
{
    public IReadOnlyList<ProductDownloads> Products { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Products = await downloads.HandleAsync(customer.Id, cancellationToken);

    public static string Size(long bytes) => bytes >= 1_000_000_000 ? $"{bytes / 1e9:0.0} GB" : $"{bytes / 1e6:0} MB";
}
