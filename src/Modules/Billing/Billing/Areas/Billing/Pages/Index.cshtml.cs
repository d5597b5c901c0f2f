using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Modules.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Billing.Areas.Billing.Pages;

/// <summary>Invoices: search, filter by status and issue date (all in the URL), newest first, paged; balances per currency.</summary>
internal sealed class IndexModel(BillingDbContext db, TimeProvider clock, ICurrentCustomer customer) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    /// <summary>Open, Overdue, Paid, Void, or Unpaid (open and overdue).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    // "page" is a reserved route value in Razor Pages, hence "p".
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public PagedResult<Row> Invoices { get; private set; } = new([], 1, PageSize, 0);
    public IReadOnlyList<Money> Outstanding { get; private set; } = [];
    public IReadOnlyList<Money> Credits { get; private set; } = [];
    public bool HasAnyInvoice { get; private set; }
    public string? FilterError { get; private set; }

    public sealed record Row(Guid Id, string Number, DateTime IssuedUtc, DateTime DueUtc, Money Total, Money Balance, InvoiceStatus Status, bool Payable, string? VoidReason);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var customerId = customer.Id;
        var now = clock.GetUtcNow().UtcDateTime;
        var today = now.Date;

        var unpaid = await db.Invoices.AsNoTracking()
            .Where(i => i.CustomerId == customerId && (i.Status == InvoiceStatus.Open || i.Status == InvoiceStatus.Overdue))
            .Select(i => new { i.Currency, i.Total, i.AmountPaid })
            .ToListAsync(cancellationToken);
        Outstanding = Money.TotalsPerCurrency(unpaid.Select(i => new Money(i.Total - i.AmountPaid, i.Currency)));
        var credits = await db.Credits.AsNoTracking().Where(c => c.CustomerId == customerId).Select(c => new { c.Currency, c.Remaining }).ToListAsync(cancellationToken);
        Credits = Money.TotalsPerCurrency(credits.Where(c => c.Remaining > 0).Select(c => new Money(c.Remaining, c.Currency)));
        HasAnyInvoice = await db.Invoices.AnyAsync(i => i.CustomerId == customerId, cancellationToken);

        var query = db.Invoices.AsNoTracking().Where(i => i.CustomerId == customerId);
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var term = Search.Trim().ToUpperInvariant();
            query = query.Where(i => i.Number.Contains(term));
        }
        query = Status switch
        {
            "Paid" => query.Where(i => i.Status == InvoiceStatus.Paid),
            "Void" => query.Where(i => i.Status == InvoiceStatus.Void),
            "Overdue" => query.Where(i => i.Status == InvoiceStatus.Overdue || (i.Status == InvoiceStatus.Open && i.DueUtc < today)),
            "Open" => query.Where(i => i.Status == InvoiceStatus.Open && i.DueUtc >= today),
            "Unpaid" => query.Where(i => i.Status == InvoiceStatus.Open || i.Status == InvoiceStatus.Overdue),
            _ => query,
        };
        if (From is { } from && To is { } to && from > to)
        {
            FilterError = "The 'from' date is after the 'to' date.";
        }
        if (From is { } f)
        {
            var fromUtc = f.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(i => i.IssuedUtc >= fromUtc);
        }
        if (To is { } t)
        {
            var toUtc = t.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(i => i.IssuedUtc < toUtc);
        }
        var (page, size) = Paging.Normalize(PageNumber, PageSize);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(i => i.IssuedUtc).ThenByDescending(i => i.Number)
            .Skip((page - 1) * size).Take(size)
            .ToListAsync(cancellationToken);
        Invoices = new PagedResult<Row>(
            rows.Select(i => new Row(i.Id, i.Number, i.IssuedUtc, i.DueUtc, new Money(i.Total, i.Currency), i.BalanceDue, i.DisplayStatus(now), i.IsPayable, i.VoidReason)).ToList(),
            page, size, total);
    }

    /// <summary>The current filters with one value changed, for paging links.</summary>
    public string UrlFor(int page) => "/billing" + QueryString.Create(new Dictionary<string, string?>
    {
        ["q"] = Search,
        ["status"] = Status,
        ["from"] = From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["to"] = To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();
}
