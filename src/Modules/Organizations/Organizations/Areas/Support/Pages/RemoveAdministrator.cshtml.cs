using ChaosModular.Accounts.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace ChaosModular.Organizations.Areas.Support.Pages;

/// <summary>Remove an administrator from an organization: a confirm step, then the removal (refused for the last one).</summary>
[Authorize(Policy = PortalPolicies.Support)]
internal sealed class RemoveAdministratorModel(RemoveAdministrator remove) : PageModel
{
    public RemoveAdministrator.Confirmation Administrator { get; private set; } = null!;

    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid membershipId, CancellationToken cancellationToken)
    {
        if (await remove.ConfirmAsync(id, membershipId, cancellationToken) is not { } administrator)
        {
            return NotFound();
        }
        Administrator = administrator;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid membershipId, CancellationToken cancellationToken)
    {
        var result = await remove.HandleAsync(id, membershipId, cancellationToken);
        switch (result.Outcome)
        {
            case Features.RemoveAdministrator.Outcome.NotFound:
                return NotFound();
            case Features.RemoveAdministrator.Outcome.LastAdministrator:
                Refusal = Features.RemoveAdministrator.LastAdministrator;
                return await OnGetAsync(id, membershipId, cancellationToken);
            default:
                TempData["Flash"] = $"{result.Email} is no longer an administrator of the organization.";
                return RedirectToPage("/Organization", new { area = "Support", id });
        }
    }
}
