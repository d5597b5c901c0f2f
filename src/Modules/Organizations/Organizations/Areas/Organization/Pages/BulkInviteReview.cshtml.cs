using ChaosModular.Accounts.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>The review of an uploaded bulk invite: every row's state, 50 a page, filtered by state; roles changed; Send invites.</summary>
[Authorize(Policy = PortalPolicies.ConfirmedEmail)]
internal sealed class BulkInviteReviewModel(ShowBulkInvite show, ChangeBulkInviteRoles roles, SendBulkInvite send, ICurrentCustomer customer) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public InviteRowState? State { get; set; }

    [BindProperty(Name = "p", SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public ShowBulkInvite.View View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await show.HandleAsync(customer.Id, Id, new ShowBulkInvite.Filter(State, null, PageNumber), cancellationToken) is not { } view)
        {
            return NotFound();
        }
        if (view.Summary.Status != BulkInviteStatus.Review)
        {
            return Redirect(OrganizationUsersRoutes.BulkInvite(Id));
        }
        View = view;
        return Page();
    }

    /// <param name="changes">The role picked per line (<c>roles[7]=Guest</c>); a row left on its invalid role sends an empty value and is skipped.</param>
    public async Task<IActionResult> OnPostRolesAsync([FromForm(Name = "roles")] Dictionary<int, string>? changes, CancellationToken cancellationToken)
    {
        var picked = (changes ?? []).Where(c => Enum.TryParse<OrganizationRole>(c.Value, out _)).ToDictionary(c => c.Key, c => Enum.Parse<OrganizationRole>(c.Value));
        var (outcome, changed) = await roles.HandleAsync(customer.Id, Id, picked, cancellationToken);
        switch (outcome)
        {
            case ChangeBulkInviteRoles.Outcome.NotFound:
                return NotFound();
            case ChangeBulkInviteRoles.Outcome.AlreadySent:
                TempData["Flash"] = "These invites are already being sent: roles can no longer change.";
                return Redirect(OrganizationUsersRoutes.BulkInvite(Id));
            default:
                TempData["Flash"] = changed == 1 ? "1 role changed." : $"{changed} roles changed.";
                return RedirectToPage("/BulkInviteReview", new { area = "Organization", id = Id, state = State, p = PageNumber > 1 ? PageNumber : (int?)null });
        }
    }

    public async Task<IActionResult> OnPostSendAsync(CancellationToken cancellationToken)
    {
        switch (await send.HandleAsync(customer.Id, Id, cancellationToken))
        {
            case SendBulkInvite.Outcome.NotFound:
                return NotFound();
            case SendBulkInvite.Outcome.NothingReady:
                TempData["Flash"] = "No row is ready to invite.";
                return RedirectToPage("/BulkInviteReview", new { area = "Organization", id = Id });
            case SendBulkInvite.Outcome.AlreadySent:
                TempData["Flash"] = "These invites were already sent.";
                return Redirect(OrganizationUsersRoutes.BulkInvite(Id));
            default:
                TempData["Flash"] = "The invitations are being sent: this page shows how far it is, and you get an email report when it ends.";
                return Redirect(OrganizationUsersRoutes.BulkInvite(Id));
        }
    }
}
