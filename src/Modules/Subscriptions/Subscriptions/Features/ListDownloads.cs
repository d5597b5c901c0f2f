using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Subscriptions.Features;

/// <summary>The latest builds, per operating system, of the products the customer has an active subscription for.</summary>
internal sealed class ListDownloads(SubscriptionsDbContext db, ICatalogApi catalog)
{
    public async Task<IReadOnlyList<ProductDownloads>> HandleAsync(string customerId, CancellationToken cancellationToken)
    {
        var codes = await db.Subscriptions.AsNoTracking()
            .Where(s => s.CustomerId == customerId && s.Status == SubscriptionStatus.Active)
            .Select(s => s.ProductCode).Distinct().ToListAsync(cancellationToken);
        return codes.Count == 0 ? [] : (await catalog.DownloadsAsync(codes, cancellationToken)).OrderBy(p => p.ProductName, StringComparer.Ordinal).ToList();
    }
}
