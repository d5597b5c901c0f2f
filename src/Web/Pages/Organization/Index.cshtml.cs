using ChaosModular.Accounts.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChaosModular.Web.Pages.Organization;

[Authorize(Policy = PortalPolicies.OrganizationAdministrator)]
internal sealed class IndexModel : PageModel
{
}
