using System.ComponentModel.DataAnnotations;
using ChaosModular.Accounts.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace ChaosModular.Organizations.Areas.Support.Pages;

/// <summary>Support's page of one organization: its administrators; appoint another (by customer number or email) or remove one.</summary>
[Authorize(Policy = PortalPolicies.Support)]
internal sealed class OrganizationModel(ShowOrganization show, AppointAdministrator appoint) : PageModel
{
    public ShowOrganization.Details Details { get; private set; } = null!;

    [BindProperty]
    public AppointForm Form { get; set; } = new();

    public sealed class AppointForm
    {
        [Required(ErrorMessage = "Enter the customer number or email of the account to appoint.")]
        [Display(Name = "Customer number or email")]
        public string Account { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var result = await appoint.HandleAsync(id, Form.Account, cancellationToken);
            switch (result.Outcome)
            {
                case AppointAdministrator.Outcome.OrganizationNotFound:
                    return NotFound();
                case AppointAdministrator.Outcome.Appointed:
                    TempData["Flash"] = $"{result.Email} is now an administrator and is emailed.";
                    return RedirectToPage("/Organization", new { area = "Support", id });
                case AppointAdministrator.Outcome.AlreadyInOrganization:
                    ModelState.AddModelError("Form.Account", AdministratorAppointed.AlreadyInOrganization);
                    break;
                default:
                    ModelState.AddModelError("Form.Account", $"No account has the customer number or email “{Form.Account.Trim()}”.");
                    break;
            }
        }
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await show.HandleAsync(id, cancellationToken) is not { } details)
        {
            return false;
        }
        Details = details;
        return true;
    }
}
