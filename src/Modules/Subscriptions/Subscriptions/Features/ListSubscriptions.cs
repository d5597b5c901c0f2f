using System.Linq.Expressions;
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
    IOrganizationsApi organizations, ILicenseAllocationsApi allocations, PageDataCache cache)
{
    public const int PageSize = 25;

    /// <param name="Page">1-based; a page past the last shows the last one.</param>
    /// <param name="Sort">A column of <see cref="SortKeys"/>; anything else sorts by the list's default (<see cref="Sorting.Of"/>).</param>
    /// <param name="Direction">"asc" or "desc"; anything else is the column's own default direction.</param>
    public sealed record Filter(string? Family, DateOnly? ExpiresFrom, DateOnly? ExpiresTo, string? Currency, int Page = 1, string? Sort = null, string? Direction = null);

    /// <summary>The columns the lists sort by (the URL's <c>sort</c>): a whitelist, so a hand-made URL cannot order by anything else.</summary>
    public static class SortKeys
    {
        public const string Product = "product";
        public const string Seats = "seats";
        public const string Activated = "activated";

        /// <summary>The next renewal on Active Products, the day it ended on Expired Products.</summary>
        public const string Expires = "expires";

        /// <summary>Active Products only: auto-renewal on or off.</summary>
        public const string AutoRenewal = "autorenewal";

        public static IReadOnlyList<string> For(SubscriptionStatus status) =>
            status == SubscriptionStatus.Active ? [Product, Seats, Activated, Expires, AutoRenewal] : [Product, Seats, Activated, Expires];
    }

    /// <summary>The sort a list is shown in: a whitelisted column and its direction.</summary>
    public sealed record Sorting(string Key, bool Descending)
    {
        /// <summary>
        /// The soonest renewal first on Active Products, the latest end first on Expired Products (as before sorting existed);
        /// an unknown column falls back to that, an unknown direction to the column's own default.
        /// </summary>
        public static Sorting Of(SubscriptionStatus status, string? sort, string? direction)
        {
            var key = sort is not null && SortKeys.For(status).Contains(sort) ? sort : SortKeys.Expires;
            var descendingByDefault = status == SubscriptionStatus.Expired && key == SortKeys.Expires;
            var descending = direction switch { "asc" => false, "desc" => true, _ => descendingByDefault };
            return new Sorting(key, descending);
        }

        public string DirectionName => Descending ? "desc" : "asc";
    }

    /// <param name="LicenseKey">The licence key Licensing gave the subscription's license; null when its family has no key-based versions.</param>
    public sealed record Row(Subscription Subscription, string ProductName, string FamilyName, bool CanUpgrade, bool PaymentDue, LicenseKeyInfo? LicenseKey);

    /// <param name="Subscriptions">The page of rows that match the filters, with the count of them all.</param>
    public sealed record Result(PagedResult<Row> Subscriptions, bool HasAny, IReadOnlyList<ProductFamilySummary> Families, IReadOnlyList<string> Currencies,
        PaymentMethodSummary? PaymentMethod, string? FilterError, FromOrganization? Organization = null, Sorting? Sort = null)
    {
        public static readonly PagedResult<Row> NoRows = new([], 1, PageSize, 0);

        public IReadOnlyList<Row> Rows => Subscriptions.Items;
    }

    /// <param name="IsMember">A member uses only the allocations: personal subscriptions are not listed.</param>
    public sealed record FromOrganization(string Name, bool IsMember, IReadOnlyList<AllocationSummary> Allocations);

    /// <summary>
    /// A fixed number of queries whatever the number of subscriptions: the currencies with the count of matching rows per
    /// currency (one grouped query gives the currency filter's list, whether the customer has any, and the pager's total),
    /// the page's rows with their payment-due flag, then the licence keys of that page only; products and upgrades come
    /// from the in-memory catalog. Kept while nothing it read changes (<see cref="PageDataCache"/>).
    /// </summary>
    public async Task<Result> HandleAsync(string customerId, SubscriptionStatus status, Filter filter, CancellationToken cancellationToken) =>
        (await cache.GetOrReadAsync((typeof(ListSubscriptions), customerId, status, filter), c => ReadAsync(customerId, status, filter, c), cancellationToken))!;

    private async Task<Result?> ReadAsync(string customerId, SubscriptionStatus status, Filter filter, CancellationToken cancellationToken)
    {
        var organization = await FromOrganizationAsync(customerId, status, cancellationToken);
        if (organization is { IsMember: true })
        {
            return new Result(Result.NoRows, false, [], [], null, null, organization);
        }
        var mine = db.Subscriptions.AsNoTracking().Where(s => s.CustomerId == customerId && s.Status == status);
        var family = string.IsNullOrEmpty(filter.Family) ? null : filter.Family;
        var currency = string.IsNullOrEmpty(filter.Currency) ? null : filter.Currency;
        var (from, to) = (filter.ExpiresFrom, filter.ExpiresTo);
        var counts = status == SubscriptionStatus.Active
            ? await mine.GroupBy(s => new { s.Currency, s.ProductCode })
                .Select(g => new
                {
                    g.Key.Currency,
                    g.Key.ProductCode,
                    Matching = g.Count(s => (family == null || s.FamilyCode == family) && (currency == null || s.Currency == currency)
                        && (from == null || s.RenewsOn >= from) && (to == null || s.RenewsOn <= to)),
                })
                .ToListAsync(cancellationToken)
            : await mine.GroupBy(s => new { s.Currency, s.ProductCode })
                .Select(g => new
                {
                    g.Key.Currency,
                    g.Key.ProductCode,
                    Matching = g.Count(s => (family == null || s.FamilyCode == family) && (currency == null || s.Currency == currency)
                        && (from == null || s.ExpiredOn >= from) && (to == null || s.ExpiredOn <= to)),
                })
                .ToListAsync(cancellationToken);
        var currencies = counts.Select(c => c.Currency).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var hasAny = currencies.Count > 0;
        var total = counts.Sum(c => c.Matching);
        var query = mine;
        if (family is not null)
        {
            query = query.Where(s => s.FamilyCode == family);
        }
        if (currency is not null)
        {
            query = query.Where(s => s.Currency == currency);
        }
        var error = from is { } a && to is { } b && a > b ? "The 'from' date is after the 'to' date." : null;
        if (from is not null)
        {
            query = status == SubscriptionStatus.Active ? query.Where(s => s.RenewsOn >= from) : query.Where(s => s.ExpiredOn >= from);
        }
        if (to is not null)
        {
            query = status == SubscriptionStatus.Active ? query.Where(s => s.RenewsOn <= to) : query.Where(s => s.ExpiredOn <= to);
        }
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        var page = Math.Clamp(filter.Page, 1, pages);
        var sorting = Sorting.Of(status, filter.Sort, filter.Direction);
        // Product names live in the in-memory catalog; the grouped query above named every product the customer has, so the
        // database sorts by their names' order and pages stay right across pages.
        var products = new Dictionary<string, ProductSummary?>(StringComparer.Ordinal);
        foreach (var code in counts.Select(c => c.ProductCode).Distinct(StringComparer.Ordinal))
        {
            products[code] = await catalog.ProductAsync(code, cancellationToken);
        }
        var ordered = Order(query, status, sorting, products);
        // A renewal order awaiting payment marks the row; asked with the page's rows, not in a query of its own.
        var found = total == 0 ? [] : await ordered.Skip((page - 1) * PageSize).Take(PageSize)
            .Select(s => new
            {
                Subscription = s,
                PaymentDue = db.Orders.Any(o => o.Kind == OrderKind.Renewal && o.Status == OrderStatus.AwaitingPayment && o.SubscriptionId == s.Id),
            })
            .ToListAsync(cancellationToken);
        var subscriptions = found.Select(f => f.Subscription).ToList();
        var paymentDue = found.Where(f => f.PaymentDue).Select(f => f.Subscription.Id).ToHashSet();
        var ids = subscriptions.Select(s => s.Id).ToList();

        var families = await catalog.FamiliesAsync(cancellationToken);
        var upgradeable = new HashSet<(string Plan, string Currency)>();
        if (status == SubscriptionStatus.Active)
        {
            foreach (var plan in subscriptions.Select(s => s.PlanCode).Distinct(StringComparer.Ordinal))
            {
                var targets = await catalog.UpgradeTargetsAsync(plan, cancellationToken);
                upgradeable.UnionWith(targets.SelectMany(t => t.PricesPerSeat).Select(p => (plan, p.Currency)));
            }
        }
        // The page's keys in one call; Expired Products shows no keys, so it asks for none.
        var keys = status == SubscriptionStatus.Active && ids.Count > 0
            ? await licensing.LicenseKeysAsync(customerId, ids, cancellationToken)
            : new Dictionary<Guid, LicenseKeyInfo>();
        var rows = subscriptions.Select(s => new Row(s, products[s.ProductCode]?.Name ?? s.ProductCode,
            families.FirstOrDefault(f => f.Code == s.FamilyCode)?.Name ?? s.FamilyCode, upgradeable.Contains((s.PlanCode, s.Currency)), paymentDue.Contains(s.Id),
            keys.GetValueOrDefault(s.Id))).ToList();
        var method = status == SubscriptionStatus.Active ? await billing.DefaultPaymentMethodAsync(customerId, cancellationToken) : null;
        return new Result(new PagedResult<Row>(rows, page, PageSize, total), hasAny, families.Where(f => f.ServiceUrl is null).ToList(), currencies, method, error,
            organization, sorting);
    }

    /// <summary>
    /// The chosen column first, then the list's usual order (renewal or end date, product) and the id, so equal values keep
    /// one order and no row shows on two pages.
    /// </summary>
    private static IOrderedQueryable<Subscription> Order(IQueryable<Subscription> query, SubscriptionStatus status, Sorting sorting,
        IReadOnlyDictionary<string, ProductSummary?> products)
    {
        var ordered = sorting.Key switch
        {
            SortKeys.Product => By(query, ProductNameRank(products), sorting.Descending),
            SortKeys.Seats => By(query, s => s.Seats, sorting.Descending),
            SortKeys.Activated => By(query, s => s.ActivatedOn, sorting.Descending),
            SortKeys.AutoRenewal => By(query, s => s.AutoRenew, sorting.Descending),
            _ when status == SubscriptionStatus.Active => By(query, s => s.RenewsOn, sorting.Descending),
            _ => By(query, s => s.ExpiredOn, sorting.Descending),
        };
        ordered = status == SubscriptionStatus.Active ? ordered.ThenBy(s => s.RenewsOn) : ordered.ThenByDescending(s => s.ExpiredOn);
        return ordered.ThenBy(s => s.ProductCode).ThenBy(s => s.Id);
    }

    private static IOrderedQueryable<Subscription> By<TKey>(IQueryable<Subscription> query, Expression<Func<Subscription, TKey>> key, bool descending) =>
        descending ? query.OrderByDescending(key) : query.OrderBy(key);

    /// <summary>
    /// The position of the subscription's product name among the customer's products: <c>CASE ProductCode WHEN … THEN 0 …</c>,
    /// one branch per product the customer has (a handful), built from the catalog's names.
    /// </summary>
    private static Expression<Func<Subscription, int>> ProductNameRank(IReadOnlyDictionary<string, ProductSummary?> products)
    {
        var byName = products.OrderBy(p => p.Value?.Name ?? p.Key, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key).ToList();
        var subscription = Expression.Parameter(typeof(Subscription), "s");
        var code = Expression.Property(subscription, nameof(Subscription.ProductCode));
        Expression rank = Expression.Constant(byName.Count);
        for (var i = byName.Count - 1; i >= 0; i--)
        {
            rank = Expression.Condition(Expression.Equal(code, Expression.Constant(byName[i])), Expression.Constant(i), rank);
        }
        return Expression.Lambda<Func<Subscription, int>>(rank, subscription);
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
