using System.Globalization;

namespace ChaosModular.Billing.Areas.Billing.Pages;

/// <summary>Invoices: search, filter by status and issue date, sort by a column (all in the URL), paged; balances per currency.</summary>
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

    /// <summary>A column of <see cref="ListInvoices.SortKeys"/>; anything else sorts newest first.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    /// <summary>asc or desc; anything else is the column's natural direction.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Dir { get; set; }

    public ListInvoices.Result List { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        List = await list.HandleAsync(new ListInvoices.Query(customer.Id, Search, Status, From, To, PageNumber, Sort,
            Dir switch { "asc" => false, "desc" => true, _ => null }), cancellationToken);

    /// <summary>The current filters and sort on another page, for paging links.</summary>
    public string? UrlFor(int page) => UrlWith(SortParameter, DirParameter, page);

    /// <summary>The header link of a column: sorts by it (the other way round when it is the sort already), from the first page.</summary>
    public string? SortUrl(string key)
    {
        var current = List.Sort;
        var descending = current.Key == key ? !current.Descending : ListInvoices.Sorting.Of(key, null).Descending;
        return UrlWith(key, descending ? "desc" : "asc", 1);
    }

    /// <summary>The header's <c>aria-sort</c>: ascending or descending on the sorted column, none elsewhere.</summary>
    public string? AriaSort(string key) => List.Sort.Key == key ? (List.Sort.Descending ? "descending" : "ascending") : null;

    /// <summary>The sort, for the filter form to keep; null when it is the default.</summary>
    public string? SortParameter => List.Sort == ListInvoices.Sorting.Of(null, null) ? null : List.Sort.Key;

    public string? DirParameter => SortParameter is null ? null : List.Sort.Descending ? "desc" : "asc";

    private string? UrlWith(string? sort, string? dir, int page) => Url.Page("/Index", new
    {
        q = Search,
        status = Status,
        from = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        to = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        sort,
        dir,
        p = page == 1 && sort is not null ? null : page.ToString(CultureInfo.InvariantCulture),
    });
}
