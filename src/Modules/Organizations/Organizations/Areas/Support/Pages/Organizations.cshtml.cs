using System.ComponentModel.DataAnnotations;
using ChaosModular.Accounts.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace ChaosModular.Organizations.Areas.Support.Pages;

/// <summary>Support › Organizations: find an account by customer number or email, set up its organization, and the list of organizations.</summary>
[Authorize(Policy = PortalPolicies.Support)]
internal sealed class OrganizationsModel(FindAccount find, SetUpOrganization setUp, ListOrganizations list, ICurrentCustomer support) : PageModel
{
    /// <summary>The customer number or email support looked for.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Find { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    [BindProperty]
    public SetUpForm Form { get; set; } = new();

    public FoundAccount? Found { get; private set; }

    public PagedResult<ListOrganizations.Row> Organizations { get; private set; } = null!;

    public sealed class SetUpForm
    {
        [Required]
        public string AccountId { get; set; } = "";

        [Required(ErrorMessage = "Name the organization.")]
        [StringLength(SetUpOrganization.NameMaxLength, MinimumLength = SetUpOrganization.NameMinLength, ErrorMessage = "The organization's name is 2 to 200 characters long.")]
        [Display(Name = "Organization name")]
        public string Name { get; set; } = "";
    }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var result = await setUp.HandleAsync(Form.AccountId, Form.Name, support.Id, cancellationToken);
            switch (result.Outcome)
            {
                case SetUpOrganization.Outcome.SetUp:
                    TempData["Flash"] = $"{Form.Name.Trim()} is set up; its administrator is emailed.";
                    return RedirectToPage("/Organization", new { area = "Support", id = result.OrganizationId });
                case SetUpOrganization.Outcome.AlreadyInOrganization:
                    ModelState.AddModelError(string.Empty, AdministratorAppointed.AlreadyInOrganization);
                    break;
                case SetUpOrganization.Outcome.UnknownAccount:
                    ModelState.AddModelError(string.Empty, "That account no longer exists.");
                    break;
                default:
                    ModelState.AddModelError("Form.Name", "The organization's name is 2 to 200 characters long.");
                    break;
            }
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public string? UrlFor(int page) => Url.Page("/Organizations", new { area = "Support", Find, p = page > 1 ? page : (int?)null });

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Found = await find.HandleAsync(Find, cancellationToken);
        Organizations = await list.HandleAsync(PageNumber, cancellationToken);
    }
}
