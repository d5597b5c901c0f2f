using System.Globalization;

namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>Active and Expired Products share their filters, sort and page number (in the URL) and their query.</summary>
internal abstract class SubscriptionListPage(ListSubscriptions list, ICurrentCustomer customer) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Family { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? ExpiresFrom { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? ExpiresTo { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Currency { get; set; }

    // "page" is a reserved route value in Razor Pages, hence "p".
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    /// <summary>The column sorted by (<see cref="ListSubscriptions.SortKeys"/>); kept by the filters and the pager.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Dir { get; set; }

    public ListSubscriptions.Sorting Sorting => ListSubscriptions.Sorting.Of(Status, Sort, Dir);

    public ListSubscriptions.Result List { get; private set; } = new(ListSubscriptions.Result.NoRows, false, [], [], null, null);

    public bool Filtered => !string.IsNullOrEmpty(Family) || ExpiresFrom is not null || ExpiresTo is not null || !string.IsNullOrEmpty(Currency);

    protected abstract SubscriptionStatus Status { get; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        List = await list.HandleAsync(customer.Id, Status, new ListSubscriptions.Filter(Family, ExpiresFrom, ExpiresTo, Currency, PageNumber, Sort, Dir), cancellationToken);

    /// <summary>The current filters and sort on another page, for the pager's links.</summary>
    public string? UrlFor(int page) => UrlFor(page, Sorting);

    /// <summary>
    /// A column header's link: sorts by that column from the first page, with the filters kept; on the column already
    /// sorted by, the other direction.
    /// </summary>
    public string? SortUrl(string key)
    {
        var current = Sorting;
        var next = current.Key == key ? current with { Descending = !current.Descending } : ListSubscriptions.Sorting.Of(Status, key, null);
        return UrlFor(1, next);
    }

    /// <summary>The header's <c>aria-sort</c>: only the sorted column has one.</summary>
    public string? AriaSort(string key) => Sorting.Key != key ? null : Sorting.Descending ? "descending" : "ascending";

    private string? UrlFor(int page, ListSubscriptions.Sorting sorting) => Url.Page(null, new
    {
        family = string.IsNullOrEmpty(Family) ? null : Family,
        expiresFrom = ExpiresFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        expiresTo = ExpiresTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        currency = string.IsNullOrEmpty(Currency) ? null : Currency,
        // Defaults stay out of the URL: the list's own order has the plain address it always had.
        sort = sorting.Key == ListSubscriptions.SortKeys.Expires ? null : sorting.Key,
        dir = sorting.Descending == ListSubscriptions.Sorting.Of(Status, sorting.Key, null).Descending ? null : sorting.DirectionName,
        p = page > 1 ? page.ToString(CultureInfo.InvariantCulture) : null,
    });
}
