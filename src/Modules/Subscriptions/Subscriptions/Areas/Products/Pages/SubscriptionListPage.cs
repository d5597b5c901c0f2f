
namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>Active and Expired Products share their filters (in the URL) and their query.</summary>
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

    public ListSubscriptions.Result List { get; private set; } = new([], false, [], [], null, null);

    public bool Filtered => !string.IsNullOrEmpty(Family) || ExpiresFrom is not null || ExpiresTo is not null || !string.IsNullOrEmpty(Currency);

    protected abstract SubscriptionStatus Status { get; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        List = await list.HandleAsync(customer.Id, Status, new ListSubscriptions.Filter(Family, ExpiresFrom, ExpiresTo, Currency), cancellationToken);
}
