namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>Organization › Users: everyone in the organization and every open invitation, for its administrators only.</summary>
internal sealed class IndexModel(ListOrganizationUsers list, ManageInvitation invitations, UserAllocations userAllocations, ICurrentCustomer customer) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public OrganizationRole? Role { get; set; }

    [BindProperty(SupportsGet = true)]
    public UserStatus? Status { get; set; }

    [BindProperty(Name = "p", SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public ListOrganizationUsers.Result List { get; private set; } = null!;

    /// <summary>What each membership on the page holds from the organization's licenses.</summary>
    public IReadOnlyDictionary<Guid, IReadOnlyList<ChaosModular.Licensing.Contracts.AllocationSummary>> Allocations { get; private set; } =
        new Dictionary<Guid, IReadOnlyList<ChaosModular.Licensing.Contracts.AllocationSummary>>();

    public bool Filtered => !string.IsNullOrWhiteSpace(Search) || Role is not null || Status is not null;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await list.HandleAsync(customer.Id, new ListOrganizationUsers.Filter(Search, Role, Status, PageNumber), cancellationToken) is not { } result)
        {
            return NotFound();
        }
        List = result;
        Allocations = await userAllocations.ByMembershipAsync(result.Organization, [.. result.Users.Items.Select(u => u.MembershipId).OfType<Guid>()], cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostResendAsync(Guid invitationId, CancellationToken cancellationToken)
    {
        var result = await invitations.ResendAsync(customer.Id, invitationId, cancellationToken);
        return Answer(result, $"A new invitation was sent to {result.Email}: the earlier link no longer works.");
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid invitationId, CancellationToken cancellationToken)
    {
        var result = await invitations.CancelAsync(customer.Id, invitationId, cancellationToken);
        return Answer(result, $"The invitation of {result.Email} is cancelled: its link no longer works.");
    }

    private IActionResult Answer(ManageInvitation.Result result, string done)
    {
        switch (result.Outcome)
        {
            case ManageInvitation.Outcome.NotFound:
                return NotFound();
            case ManageInvitation.Outcome.AlreadyAnswered:
                TempData["Flash"] = $"The invitation of {result.Email} was already accepted or cancelled.";
                break;
            default:
                TempData["Flash"] = done;
                break;
        }
        return RedirectToPage("/Index", new { area = "Organization", Search, Role, Status, p = PageNumber > 1 ? PageNumber : (int?)null });
    }

    public string? UrlFor(int page) => Url.Page("/Index", new { area = "Organization", Search, Role, Status, p = page > 1 ? page : (int?)null });
}
