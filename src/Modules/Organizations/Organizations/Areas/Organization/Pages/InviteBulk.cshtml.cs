using ChaosModular.Accounts.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>Invite users › Bulk: the template and the upload; a readable file goes on to its review page.</summary>
[Authorize(Policy = PortalPolicies.ConfirmedEmail)]
internal sealed class InviteBulkModel(UploadBulkInvite upload, OrganizationAdministrators administrators, ICurrentCustomer customer) : PageModel
{
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

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(customer.Id, cancellationToken) is not { } organization)
        {
            return NotFound();
        }
        OrganizationName = organization.Name;
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("", "Choose a .csv file to upload.");
            return Page();
        }
        var result = await upload.HandleAsync(customer.Id, file.FileName, await UploadedFile.ReadAsync(file, cancellationToken), cancellationToken);
        if (!result.Found)
        {
            return NotFound();
        }
        if (result.Problem is not null)
        {
            ModelState.AddModelError("", result.Problem);
            return Page();
        }
        return Redirect(OrganizationUsersRoutes.BulkInviteReview(result.BulkInviteId!.Value));
    }
}
