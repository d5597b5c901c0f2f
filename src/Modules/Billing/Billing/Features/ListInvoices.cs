
namespace ChaosModular.Billing.Features;

/// <summary>
/// A customer's invoices: search by number, filter by shown status and issue date, sorted by a column (newest first by
/// default), paged; balances and credits per currency; the card each paid invoice was paid with.
/// </summary>
internal sealed class ListInvoices(BillingDbContext db, TimeProvider clock, PageDataCache cache)
{
    public const int PageSize = 20;

    /// <summary>The columns the list sorts by; any other key sorts by <see cref="DefaultSort"/>.</summary>
    public static readonly IReadOnlyList<string> SortKeys = ["number", "issued", "due", "amount", "status"];

    public const string DefaultSort = "issued";

    /// <param name="Status">Open, Overdue, Paid, Void, or Unpaid (open and overdue); anything else lists all.</param>
    /// <param name="Sort">One of <see cref="SortKeys"/>; <paramref name="Descending"/> null for the column's natural direction.</param>
    public sealed record Query(string CustomerId, string? Search, string? Status, DateOnly? From, DateOnly? To, int Page, string? Sort = null, bool? Descending = null);

    /// <summary>The sort applied: a known key and its direction.</summary>
    public sealed record Sorting(string Key, bool Descending)
    {
        /// <summary>A whitelisted key, else the default; dates newest first unless asked otherwise, the rest ascending.</summary>
        public static Sorting Of(string? key, bool? descending)
        {
            var known = key is not null && SortKeys.Contains(key.ToLowerInvariant()) ? key.ToLowerInvariant() : DefaultSort;
            return new(known, descending ?? known is "issued" or "due");
        }
    }

    /// <param name="PaidWith">The cards (brand and last four) that paid it, a removed card included.</param>
    public sealed record Row(Guid Id, string Number, DateTime IssuedUtc, DateTime DueUtc, Money Total, Money Balance, InvoiceStatus Status, bool Payable, string? VoidReason,
        IReadOnlyList<string> PaidWith);

    /// <summary>An unapplied credit with money left, and why the customer has it.</summary>
    public sealed record CreditRow(Money Remaining, string Reason, DateTime CreatedUtc);

    public sealed record Result(PagedResult<Row> Invoices, IReadOnlyList<Money> Outstanding, IReadOnlyList<Money> Credits, bool HasAnyInvoice, string? FilterError,
        IReadOnlyList<CreditRow> CreditDetails, Sorting Sort);

    /// <summary>Kept while nothing it read changes (<see cref="PageDataCache"/>).</summary>
    public async Task<Result> HandleAsync(Query request, CancellationToken cancellationToken) =>
        (await cache.GetOrReadAsync((typeof(ListInvoices), request), c => ReadAsync(request, c), cancellationToken))!;

    private async Task<Result?> ReadAsync(Query request, CancellationToken cancellationToken)
    {
        var customerId = request.CustomerId;
        var today = clock.Today();

        var unpaid = await db.Invoices.AsNoTracking().Where(i => i.CustomerId == customerId).Where(Invoice.Unpaid)
            .Select(i => new { i.Currency, i.Total, i.AmountPaid })
            .ToListAsync(cancellationToken);
        var outstanding = Money.TotalsPerCurrency(unpaid.Select(i => new Money(i.Total - i.AmountPaid, i.Currency)));
        var credits = await db.Credits.AsNoTracking().Where(c => c.CustomerId == customerId).Select(c => new { c.Currency, c.Remaining, c.Reason, c.CreatedUtc }).ToListAsync(cancellationToken);
        var creditTotals = Money.TotalsPerCurrency(credits.Where(c => c.Remaining > 0).Select(c => new Money(c.Remaining, c.Currency)));
        var creditDetails = credits.Where(c => c.Remaining > 0).OrderBy(c => c.CreatedUtc)
            .Select(c => new CreditRow(new Money(c.Remaining, c.Currency), c.Reason, c.CreatedUtc)).ToList();
        // Ordered as the (CustomerId, IssuedUtc) index is, so the probe is one index step: for a bare EXISTS PostgreSQL
        // scans the whole table when a large customer makes an early match likely.
        var hasAnyInvoice = await db.Invoices.AsNoTracking().Where(i => i.CustomerId == customerId).OrderByDescending(i => i.IssuedUtc)
            .Select(i => (Guid?)i.Id).FirstOrDefaultAsync(cancellationToken) is not null;

        var query = db.Invoices.AsNoTracking().Where(i => i.CustomerId == customerId);
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            var term = request.Search.Trim().ToUpperInvariant();
            query = query.Where(i => i.Number.Contains(term));
        }
        query = request.Status switch
        {
            "Unpaid" => query.Where(Invoice.Unpaid),
            "Paid" or "Void" or "Overdue" or "Open" => query.Where(Invoice.ShownAs(Enum.Parse<InvoiceStatus>(request.Status), today)),
            _ => query,
        };
        var filterError = request.From is { } from && request.To is { } to && from > to ? "The 'from' date is after the 'to' date." : null;
        if (request.From is { } f)
        {
            var fromUtc = f.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(i => i.IssuedUtc >= fromUtc);
        }
        if (request.To is { } t)
        {
            var toUtc = t.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(i => i.IssuedUtc < toUtc);
        }
        var (page, size) = Paging.Normalize(request.Page, PageSize);
        var total = await query.CountAsync(cancellationToken);
        var sort = Sorting.Of(request.Sort, request.Descending);
        var rows = await Sorted(query, sort, today)
            .Skip((page - 1) * size).Take(size)
            .ToListAsync(cancellationToken);
        var rowIds = rows.Where(i => i.AmountPaid > 0).Select(i => i.Id).ToList();
        // One query for the page, whatever its rows: the card of each successful payment, kept on the payment itself.
        var paidWith = rowIds.Count == 0 ? [] : await (
                from a in db.Set<PaymentAllocation>().AsNoTracking()
                join p in db.Payments.AsNoTracking() on a.PaymentId equals p.Id
                where rowIds.Contains(a.InvoiceId) && p.Status == PaymentStatus.Succeeded && p.MethodDescription != null && p.Amount > 0
                select new { a.InvoiceId, p.MethodDescription, p.CreatedUtc })
            .ToListAsync(cancellationToken);
        var cards = paidWith.GroupBy(x => x.InvoiceId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.OrderBy(x => x.CreatedUtc).Select(x => x.MethodDescription!).Distinct().ToList());
        var invoices = new PagedResult<Row>(
            rows.Select(i => new Row(i.Id, i.Number, i.IssuedUtc, i.DueUtc, new Money(i.Total, i.Currency), i.BalanceDue, i.DisplayStatusOn(today), i.IsPayable, i.VoidReason,
                cards.GetValueOrDefault(i.Id) ?? [])).ToList(),
            page, size, total);
        return new Result(invoices, outstanding, creditTotals, hasAnyInvoice, filterError, creditDetails, sort);
    }

    /// <summary>
    /// The page's order. Amounts sort by currency first, then amount: amounts in different currencies are not compared.
    /// Status sorts as shown (an open invoice past due is Overdue): Overdue, Open, Paid, Void. Ties fall back to newest first.
    /// </summary>
    private static IQueryable<Invoice> Sorted(IQueryable<Invoice> query, Sorting sort, DateOnly today)
    {
        var start = today.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        IOrderedQueryable<Invoice> ordered = (sort.Key, sort.Descending) switch
        {
            ("number", false) => query.OrderBy(i => i.Number),
            ("number", true) => query.OrderByDescending(i => i.Number),
            ("due", false) => query.OrderBy(i => i.DueUtc),
            ("due", true) => query.OrderByDescending(i => i.DueUtc),
            ("amount", false) => query.OrderBy(i => i.Currency).ThenBy(i => i.Total),
            ("amount", true) => query.OrderBy(i => i.Currency).ThenByDescending(i => i.Total),
            ("status", var descending) => descending ? query.OrderByDescending(StatusRank(start)) : query.OrderBy(StatusRank(start)),
            ("issued", false) => query.OrderBy(i => i.IssuedUtc),
            _ => query.OrderByDescending(i => i.IssuedUtc),
        };
        return sort.Key is "issued" or "number"
            ? ordered.ThenByDescending(i => i.Number)
            : ordered.ThenByDescending(i => i.IssuedUtc).ThenByDescending(i => i.Number);
    }

    private static System.Linq.Expressions.Expression<Func<Invoice, int>> StatusRank(DateTime startOfToday) => i =>
        i.Status == InvoiceStatus.Overdue || (i.Status == InvoiceStatus.Open && i.DueUtc < startOfToday) ? 0
        : i.Status == InvoiceStatus.Open ? 1
        : i.Status == InvoiceStatus.Paid ? 2
        : 3;
}
