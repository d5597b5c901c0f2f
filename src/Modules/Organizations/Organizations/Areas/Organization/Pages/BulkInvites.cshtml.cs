namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>The organization's bulk invites, newest first, each linking to its review or status page.</summary>
internal sealed class BulkInvitesModel(ListBulkInvites list, ICurrentCustomer customer) : PageModel
{
    [BindProperty(Name = "p", SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public ListBulkInvites.Result List { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await list.HandleAsync(customer.Id, PageNumber, cancellationToken) is not { } result)
        {
            return NotFound();
        }
        List = result;
        return Page();
    }
}
