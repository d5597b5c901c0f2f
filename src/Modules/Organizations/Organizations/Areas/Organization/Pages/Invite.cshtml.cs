using System.ComponentModel.DataAnnotations;
using ChaosModular.Accounts.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>Organization › Invite users: one registered account, as member or guest.</summary>
[Authorize(Policy = PortalPolicies.ConfirmedEmail)]
internal sealed class InviteModel(InviteUser invite, OrganizationAdministrators administrators, ICurrentCustomer customer) : PageModel
{
    public const string NotRegisteredMessage = "Only users with a registered Chaos account can be invited: ask them to create one first.";

    public sealed class InviteForm
    {
        [Required, EmailAddress, StringLength(256)]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";

        [Display(Name = "Role")]
        public OrganizationRole Role { get; set; } = OrganizationRole.Member;
    }

    [BindProperty]
    public InviteForm Form { get; set; } = new();

    public string OrganizationName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(customer.Id, cancellationToken) is not { } organization)
        {
            return NotFound();
        }
        OrganizationName = organization.Name;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(customer.Id, cancellationToken) is not { } organization)
        {
            return NotFound();
        }
        OrganizationName = organization.Name;
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await invite.HandleAsync(customer.Id, Form.Email, Form.Role, cancellationToken);
        var message = result.Outcome switch
        {
            InviteUser.Outcome.NotFound => null,
            InviteUser.Outcome.Invited => null,
            InviteUser.Outcome.NotRegistered => NotRegisteredMessage,
            InviteUser.Outcome.NotInvitable => "Invite people as members or guests: administrators are appointed by support.",
            InviteUser.Outcome.AlreadyMember => $"{result.Email} is already in {organization.Name}.",
            InviteUser.Outcome.InAnotherOrganization => $"{result.Email} already belongs to another organization: an account can be in only one.",
            InviteUser.Outcome.EmailNotConfirmed => $"{result.Email} has not confirmed their email address yet: ask them to open the link we emailed them (or send it again from the banner after signing in), then invite them.",
            InviteUser.Outcome.AlreadyInvited => $"{result.Email} is already invited and the invitation has not expired: resend it from the Users list if they lost the email.",
            _ => "The invitation could not be sent.",
        };
        if (result.Outcome == InviteUser.Outcome.NotFound)
        {
            return NotFound();
        }
        if (message is not null)
        {
            ModelState.AddModelError("Form.Email", message);
            return Page();
        }
        TempData["Flash"] = $"{result.Email} is invited as {Form.Role.ToString().ToLowerInvariant()}: the invitation email is on its way and the link works for 7 days.";
        return RedirectToPage("/Index", new { area = "Organization" });
    }
}
