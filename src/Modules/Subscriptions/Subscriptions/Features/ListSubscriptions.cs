using ChaosModular.Billing.Contracts;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Licensing.Contracts;
using ChaosModular.Organizations.Contracts;

namespace ChaosModular.Subscriptions.Features;

/// <summary>
/// The Active and Expired Products lists: a customer's subscriptions filtered by product family, a date
/// range on the expiration (next renewal for active ones, the day it ended for expired ones) and currency.
/// A member of an organization sees no personal subscriptions, only what the organization allocated to them (on
/// Active Products); a guest sees both.
/// </summary>
internal sealed class ListSubscriptions(SubscriptionsDbContext db, ICatalogApi catalog, IBillingApi billing, ILicensingApi licensing,
    IOrganizationsApi organizations, ILicenseAllocationsApi allocations)
{
    public sealed record Filter(string? Family, DateOnly? ExpiresFrom, DateOnly? ExpiresTo, string? Currency);

    /// <param name="LicenseKey">The licence key Licensing gave the subscription's license; null when its family has no key-based versions.</param>
    public sealed record Row(Subscription Subscription, string ProductName, string FamilyName, bool CanUpgrade, bool PaymentDue, LicenseKeyInfo? LicenseKey);

    public sealed record Result(IReadOnlyList<Row> Rows, bool HasAny, IReadOnlyList<ProductFamilySummary> Families, IReadOnlyList<string> Currencies,
        PaymentMethodSummary? PaymentMethod, string? FilterError, FromOrganization? Organization = null);

    /// <param name="IsMember">A member uses only the allocations: personal subscriptions are not listed.</param>
    public sealed record FromOrganization(string Name, bool IsMember, IReadOnlyList<AllocationSummary> Allocations);

    public async Task<Result> HandleAsync(string customerId, SubscriptionStatus status, Filter filter, CancellationToken cancellationToken)
    {
        var organization = await FromOrganizationAsync(customerId, status, cancellationToken);
        if (organization is { IsMember: true })
        {
            return new Result([], false, [], [], null, null, organization);
        }
        var mine = db.Subscriptions.AsNoTracking().Where(s => s.CustomerId == customerId && s.Status == status);
        var currencies = await mine.Select(s => s.Currency).Distinct().OrderBy(c => c).ToListAsync(cancellationToken);
        var hasAny = currencies.Count > 0;
        var query = mine;
        if (!string.IsNullOrEmpty(filter.Family))
        {
            query = query.Where(s => s.FamilyCode == filter.Family);
        }
        if (!string.IsNullOrEmpty(filter.Currency))
        {
            query = query.Where(s => s.Currency == filter.Currency);
        }
        var error = filter is { ExpiresFrom: { } a, ExpiresTo: { } b } && a > b ? "The 'from' date is after the 'to' date." : null;
        if (filter.ExpiresFrom is { } from)
        {
            query = status == SubscriptionStatus.Active ? query.Where(s => s.RenewsOn >= from) : query.Where(s => s.ExpiredOn >= from);
        }
        if (filter.ExpiresTo is { } to)
        {
            query = status == SubscriptionStatus.Active ? query.Where(s => s.RenewsOn <= to) : query.Where(s => s.ExpiredOn <= to);
        }
        var subscriptions = status == SubscriptionStatus.Active
            ? await query.OrderBy(s => s.RenewsOn).ThenBy(s => s.ProductCode).ToListAsync(cancellationToken)
            : await query.OrderByDescending(s => s.ExpiredOn).ThenBy(s => s.ProductCode).ToListAsync(cancellationToken);
        var ids = subscriptions.Select(s => s.Id).ToList();
        var paymentDue = await db.Orders.AsNoTracking()
            .Where(o => o.Kind == OrderKind.Renewal && o.Status == OrderStatus.AwaitingPayment && o.SubscriptionId != null && ids.Contains(o.SubscriptionId.Value))
            .Select(o => o.SubscriptionId!.Value).ToListAsync(cancellationToken);

        var families = await catalog.FamiliesAsync(cancellationToken);
        // One catalog lookup per distinct product and plan, not per row.
        var products = new Dictionary<string, ProductSummary?>(StringComparer.Ordinal);
        foreach (var code in subscriptions.Select(s => s.ProductCode).Distinct(StringComparer.Ordinal))
        {
            products[code] = await catalog.ProductAsync(code, cancellationToken);
        }
        var upgradeable = new HashSet<(string Plan, string Currency)>();
        if (status == SubscriptionStatus.Active)
        {
            foreach (var plan in subscriptions.Select(s => s.PlanCode).Distinct(StringComparer.Ordinal))
            {
                var targets = await catalog.UpgradeTargetsAsync(plan, cancellationToken);
                upgradeable.UnionWith(targets.SelectMany(t => t.PricesPerSeat).Select(p => (plan, p.Currency)));
            }
        }
        // One call for all the customer's keys, not one per row; Expired Products shows no keys, so it asks for none.
        var keys = status == SubscriptionStatus.Active && subscriptions.Count > 0
            ? await licensing.LicenseKeysAsync(customerId, cancellationToken)
            : new Dictionary<Guid, LicenseKeyInfo>();
        var rows = subscriptions.Select(s => new Row(s, products[s.ProductCode]?.Name ?? s.ProductCode,
            families.FirstOrDefault(f => f.Code == s.FamilyCode)?.Name ?? s.FamilyCode, upgradeable.Contains((s.PlanCode, s.Currency)), paymentDue.Contains(s.Id),
            keys.GetValueOrDefault(s.Id))).ToList();
        var method = status == SubscriptionStatus.Active ? await billing.DefaultPaymentMethodAsync(customerId, cancellationToken) : null;
        return new Result(rows, hasAny, families.Where(f => f.ServiceUrl is null).ToList(), currencies, method, error, organization);
    }

    /// <summary>A member's or guest's organization and, on Active Products, what it allocated to them; null for everyone else.</summary>
    private async Task<FromOrganization?> FromOrganizationAsync(string customerId, SubscriptionStatus status, CancellationToken cancellationToken)
    {
        if (await organizations.MembershipAsync(customerId, cancellationToken) is not { Role: OrganizationRole.Member or OrganizationRole.Guest } membership)
        {
            return null;
        }
        var held = status == SubscriptionStatus.Active
            ? (await allocations.HeldByAsync(customerId, cancellationToken)).Where(a => a.OrganizationId == membership.OrganizationId).ToList()
            : [];
        return new FromOrganization(membership.OrganizationName, membership.Role == OrganizationRole.Member, held);
    }
}
