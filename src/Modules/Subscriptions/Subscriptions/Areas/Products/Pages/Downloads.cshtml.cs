using ChaosModular.Modules.Abstractions;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Subscriptions.Data;
using ChaosModular.Subscriptions.Domain;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>Downloads: the latest builds, per operating system, of the products the customer has an active subscription for.</summary>
internal sealed class DownloadsModel(SubscriptionsDbContext db, ICatalogApi catalog, ICurrentCustomer customer) : PageModel
{
    public IReadOnlyList<ProductDownloads> Products { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var customerId = customer.Id;
        var codes = await db.Subscriptions.AsNoTracking()
            .Where(s => s.CustomerId == customerId && s.Status == SubscriptionStatus.Active)
            .Select(s => s.ProductCode).Distinct().ToListAsync(cancellationToken);
        Products = codes.Count == 0 ? [] : (await catalog.DownloadsAsync(codes, cancellationToken)).OrderBy(p => p.ProductName, StringComparer.Ordinal).ToList();
    }

    public static string Size(long bytes) => bytes >= 1_000_000_000 ? $"{bytes / 1e9:0.0} GB" : $"{bytes / 1e6:0} MB";
}
