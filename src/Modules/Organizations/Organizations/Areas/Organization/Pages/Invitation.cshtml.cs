using ChaosModular.Accounts.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>The invitation link: the invitee (signed in; anyone else gets 404) sees the organization and role and accepts.</summary>
[Authorize(Policy = PortalPolicies.ConfirmedEmail)]
internal sealed class InvitationModel(AcceptInvitation accept, ICurrentCustomer customer) : PageModel
{
    public AcceptInvitation.View Invitation { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        if (await accept.ShowAsync(customer.Id, token, cancellationToken) is not { } invitation)
        {
            return NotFound();
        }
        Invitation = invitation;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        var result = await accept.HandleAsync(customer.Id, token, cancellationToken);
        string message;
        switch (result.Outcome)
        {
            case AcceptInvitation.Outcome.NotFound:
                return NotFound();
            case AcceptInvitation.Outcome.Joined:
                TempData["Flash"] = $"Welcome to {result.OrganizationName}: you are now in the organization.";
                return LocalRedirect("~/");
            case AcceptInvitation.Outcome.AlreadyMember:
                message = $"You are already a member of {result.OrganizationName}.";
                break;
            case AcceptInvitation.Outcome.Expired:
                message = "This invitation has expired: ask the organization's administrator to resend it.";
                break;
            case AcceptInvitation.Outcome.Cancelled:
                message = "This invitation was cancelled by the organization's administrator.";
                break;
            default:
                message = "Your account already belongs to another organization: an account can be in only one.";
                break;
        }
        TempData["Flash"] = message;
        return RedirectToPage("/Invitation", new { area = "Organization", token });
    }
}
