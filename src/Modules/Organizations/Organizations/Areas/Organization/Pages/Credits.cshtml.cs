
namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>Organization › Cloud credits: the pool and each user's allocation and use, for the organization's administrators only.</summary>
internal sealed class CreditsModel(OrganizationCredits credits, ICurrentCustomer customer) : PageModel
{
    [BindProperty(Name = "p", SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public OrganizationCredits.Result View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await credits.HandleAsync(customer.Id, PageNumber, cancellationToken) is not { } result)
        {
            return NotFound();
        }
        View = result;
        return Page();
    }

    public string? UrlFor(int page) => Url.Page("/Credits", new { area = "Organization", p = page > 1 ? page : (int?)null });
}
