using System.Text;

namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>The bulk-invite template (<c>email,role</c>), for the organization's administrators.</summary>
internal sealed class InviteTemplateModel(OrganizationAdministrators administrators, ICurrentCustomer customer) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await administrators.FindAsync(customer.Id, cancellationToken) is null
            ? NotFound()
            : File(Encoding.UTF8.GetBytes(InviteCsv.Template), "text/csv", "invite-users-template.csv");
}
