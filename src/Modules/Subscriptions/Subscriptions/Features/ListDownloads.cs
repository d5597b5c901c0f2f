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

    private static readonly string[] Systems = ["Windows", "macOS", "Linux"];

    /// <param name="Builds">The product's builds, those for the visitor's system first.</param>
    /// <param name="VisitorSystem">Windows, macOS or Linux as the browser's User-Agent says; null when it names none of them.</param>
    public sealed record ForProduct(ProductDownloads Product, IReadOnlyList<BuildDownload> Builds, string? VisitorSystem);

    /// <summary>One product's builds for a customer with an active subscription to it; null otherwise (or when the catalog has none).</summary>
    public async Task<ForProduct?> ForProductAsync(string customerId, string productCode, string? userAgent, CancellationToken cancellationToken)
    {
        var owned = await db.Subscriptions.AsNoTracking()
            .AnyAsync(s => s.CustomerId == customerId && s.Status == SubscriptionStatus.Active && s.ProductCode == productCode, cancellationToken);
        if (!owned || (await catalog.DownloadsAsync([productCode], cancellationToken)).SingleOrDefault() is not { } product)
        {
            return null;
        }
        var system = OperatingSystemOf(userAgent);
        // The visitor's system first, then the desktop systems by how many customers use them.
        var builds = product.Builds.OrderBy(b => string.Equals(b.OperatingSystem, system, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(b => Array.FindIndex(Systems, s => string.Equals(s, b.OperatingSystem, StringComparison.OrdinalIgnoreCase)) is var i and >= 0 ? i : Systems.Length)
            .ThenBy(b => b.FileName, StringComparer.Ordinal).ToList();
        return new ForProduct(product, builds, system);
    }

    /// <summary>The desktop system a User-Agent names, spelled as the catalog's builds are; a phone (Android says "Linux", an iPhone "Mac OS X") names none.</summary>
    public static string? OperatingSystemOf(string? userAgent) =>
        string.IsNullOrEmpty(userAgent) ? null
        : userAgent.Contains("Windows", StringComparison.OrdinalIgnoreCase) ? "Windows"
        : userAgent.Contains("Android", StringComparison.OrdinalIgnoreCase) || userAgent.Contains("iPhone", StringComparison.OrdinalIgnoreCase) ? null
        : userAgent.Contains("Macintosh", StringComparison.OrdinalIgnoreCase) || userAgent.Contains("Mac OS X", StringComparison.OrdinalIgnoreCase) ? "macOS"
        : userAgent.Contains("Linux", StringComparison.OrdinalIgnoreCase) || userAgent.Contains("X11", StringComparison.OrdinalIgnoreCase) ? "Linux"
        : null;
}
