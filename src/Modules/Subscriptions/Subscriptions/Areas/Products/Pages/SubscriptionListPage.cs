using System.Globalization;

namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>Active and Expired Products share their filters and page number (in the URL) and their query.</summary>
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

    public ListSubscriptions.Result List { get; private set; } = new(ListSubscriptions.Result.NoRows, false, [], [], null, null);

    public bool Filtered => !string.IsNullOrEmpty(Family) || ExpiresFrom is not null || ExpiresTo is not null || !string.IsNullOrEmpty(Currency);

    protected abstract SubscriptionStatus Status { get; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        List = await list.HandleAsync(customer.Id, Status, new ListSubscriptions.Filter(Family, ExpiresFrom, ExpiresTo, Currency, PageNumber), cancellationToken);

    /// <summary>The current filters on another page, for the pager's links.</summary>
    public string? UrlFor(int page) => Url.Page(null, new
    {
        family = string.IsNullOrEmpty(Family) ? null : Family,
        expiresFrom = ExpiresFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        expiresTo = ExpiresTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        currency = string.IsNullOrEmpty(Currency) ? null : Currency,
        p = page > 1 ? page.ToString(CultureInfo.InvariantCulture) : null,
    });
}
