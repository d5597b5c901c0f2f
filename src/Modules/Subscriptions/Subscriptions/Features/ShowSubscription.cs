using ChaosModular.Billing.Contracts;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Licensing.Contracts;

namespace ChaosModular.Subscriptions.Features;

/// <summary>
/// One subscription as its Details page shows it: the subscription, its product, whether it has an upgrade in its
/// currency, the payment method renewals charge, its licence key (from Licensing) and its latest orders.
/// </summary>
internal sealed class ShowSubscription(SubscriptionsDbContext db, ICatalogApi catalog, IBillingApi billing, ILicensingApi licensing, PageDataCache cache)
{
    public sealed record View(Subscription Subscription, ProductSummary? Product, bool CanUpgrade, PaymentMethodSummary? PaymentMethod, IReadOnlyList<Order> Orders,
        LicenseKeyInfo? LicenseKey);

    /// <summary>Null when the customer has no such subscription. Kept while nothing it read changes (<see cref="PageDataCache"/>).</summary>
    public Task<View?> HandleAsync(string customerId, Guid id, CancellationToken cancellationToken) =>
        cache.GetOrReadAsync((typeof(ShowSubscription), customerId, id), c => ReadAsync(customerId, id, c), cancellationToken);

    private async Task<View?> ReadAsync(string customerId, Guid id, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.CustomerId == customerId, cancellationToken);
        if (subscription is null)
        {
            return null;
        }
        var product = await catalog.ProductAsync(subscription.ProductCode, cancellationToken);
        var canUpgrade = subscription.Status == SubscriptionStatus.Active
            && (await catalog.UpgradeTargetsAsync(subscription.PlanCode, cancellationToken)).Any(p => p.PriceIn(subscription.Currency) is not null);
        var method = await billing.DefaultPaymentMethodAsync(customerId, cancellationToken);
        // An order refused before Billing issued an invoice (no billing information) was never placed as far as
        // the customer is concerned; a renewal's is shown whatever happened to it.
        var orders = await db.Orders.AsNoTracking()
            .Where(o => o.CustomerId == customerId && (o.SubscriptionId == id || o.Id == id)
                && (o.Status != OrderStatus.Cancelled || o.InvoiceId != null || o.Kind == OrderKind.Renewal))
            .OrderByDescending(o => o.CreatedUtc).Take(20).ToListAsync(cancellationToken);
        var keys = await licensing.LicenseKeysAsync(customerId, [id], cancellationToken);
        return new View(subscription, product, canUpgrade, method, orders, keys.GetValueOrDefault(id));
    }
}
