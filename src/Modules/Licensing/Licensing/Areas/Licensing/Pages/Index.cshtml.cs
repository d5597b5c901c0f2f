using Microsoft.Extensions.Options;

namespace ChaosModular.Licensing.Areas.Licensing.Pages;

/// <summary>Licensing › Licenses: every license of the signed-in customer with its availability.</summary>
internal sealed class IndexModel(ListLicenses list, ICurrentCustomer customer, IOptions<LicensingOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Family { get; set; }

    [BindProperty(SupportsGet = true)]
    public LicenseState? State { get; set; }

    [BindProperty(Name = "p", SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public ListLicenses.Result List { get; private set; } = null!;

    public string ServerSetupUrl => options.Value.ServerSetupUrl;

    public bool Filtered => !string.IsNullOrEmpty(Family) || State is not null;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        List = await list.HandleAsync(customer.Id, new ListLicenses.Filter(Family, State, PageNumber), cancellationToken);

    public string? UrlFor(int page) => Url.Page("/Index", new { area = "Licensing", Family, State, p = page > 1 ? page : (int?)null });
}
