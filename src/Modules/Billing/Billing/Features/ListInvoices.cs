
namespace ChaosModular.Billing.Features;

/// <summary>A customer's invoices: search by number, filter by shown status and issue date, newest first, paged; balances and credits per currency.</summary>
internal sealed class ListInvoices(BillingDbContext db, TimeProvider clock)
{
    public const int PageSize = 20;

    /// <param name="Status">Open, Overdue, Paid, Void, or Unpaid (open and overdue); anything else lists all.</param>
    public sealed record Query(string CustomerId, string? Search, string? Status, DateOnly? From, DateOnly? To, int Page);

    public sealed record Row(Guid Id, string Number, DateTime IssuedUtc, DateTime DueUtc, Money Total, Money Balance, InvoiceStatus Status, bool Payable, string? VoidReason);

    /// <summary>An unapplied credit with money left, and why the customer has it.</summary>
    public sealed record CreditRow(Money Remaining, string Reason, DateTime CreatedUtc);

    public sealed record Result(PagedResult<Row> Invoices, IReadOnlyList<Money> Outstanding, IReadOnlyList<Money> Credits, bool HasAnyInvoice, string? FilterError,
        IReadOnlyList<CreditRow> CreditDetails);

    public async Task<Result> HandleAsync(Query request, CancellationToken cancellationToken)
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
        var rows = await query.OrderByDescending(i => i.IssuedUtc).ThenByDescending(i => i.Number)
            .Skip((page - 1) * size).Take(size)
            .ToListAsync(cancellationToken);
        var invoices = new PagedResult<Row>(
            rows.Select(i => new Row(i.Id, i.Number, i.IssuedUtc, i.DueUtc, new Money(i.Total, i.Currency), i.BalanceDue, i.DisplayStatusOn(today), i.IsPayable, i.VoidReason)).ToList(),
            page, size, total);
        return new Result(invoices, outstanding, creditTotals, hasAnyInvoice, filterError, creditDetails);
    }
}
