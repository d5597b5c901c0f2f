using System.Globalization;

namespace ChaosModular.Billing.Areas.Billing.Pages;

/// <summary>Invoices: search, filter by status and issue date (all in the URL), newest first, paged; balances per currency.</summary>
internal sealed class IndexModel(ListInvoices list, ICurrentCustomer customer) : PageModel
{
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

    public ListInvoices.Result List { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        List = await list.HandleAsync(new ListInvoices.Query(customer.Id, Search, Status, From, To, PageNumber), cancellationToken);

    /// <summary>The current filters on another page, for paging links.</summary>
    public string? UrlFor(int page) => Url.Page("/Index", new
    {
        q = Search,
        status = Status,
        from = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        to = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        p = page.ToString(CultureInfo.InvariantCulture),
    });
}
