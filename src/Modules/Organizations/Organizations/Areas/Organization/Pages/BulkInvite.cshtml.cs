namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>A bulk invite's status: progress, counts and each row's result (50 a page, filtered by result); refreshes itself while sending.</summary>
internal sealed class BulkInviteModel(ShowBulkInvite show, ICurrentCustomer customer) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public BulkInviteOutcome? Outcome { get; set; }

    [BindProperty(Name = "p", SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public ShowBulkInvite.View View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await show.HandleAsync(customer.Id, Id, new ShowBulkInvite.Filter(null, Outcome, PageNumber), cancellationToken) is not { } view)
        {
            return NotFound();
        }
        if (view.Summary.Status == BulkInviteStatus.Review)
        {
            return Redirect(OrganizationUsersRoutes.BulkInviteReview(Id));
        }
        View = view;
        return Page();
    }
}
