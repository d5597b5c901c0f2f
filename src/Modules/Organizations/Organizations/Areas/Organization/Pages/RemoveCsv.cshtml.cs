using Microsoft.AspNetCore.Http;
using System.Text;

namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>
/// Remove users › Via .csv: upload a file of emails, review who will be removed (and who not, and why), then
/// "Remove N users" hands the reviewed memberships to <see cref="RemoveUsers"/>.
/// </summary>
internal sealed class RemoveCsvModel(ReviewRemovalCsv reviewer, RemoveUsers remove, OrganizationAdministrators administrators, ICurrentCustomer customer) : PageModel
{
    public string OrganizationName { get; private set; } = "";

    public ReviewRemovalCsv.Review? Review { get; private set; }

    public static string Say(RemovalRowState state) => state switch
    {
        RemovalRowState.ToRemove => "Removed",
        RemovalRowState.InvalidEmail => "Not removed: not a valid email",
        RemovalRowState.DuplicateInFile => "Not removed again: duplicate in the file",
        RemovalRowState.NotInOrganization => "Not removed: not in this organization",
        _ => "Not removed: administrator",
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(customer.Id, cancellationToken) is not { } organization)
        {
            return NotFound();
        }
        OrganizationName = organization.Name;
        return Page();
    }

    public async Task<IActionResult> OnGetTemplateAsync(CancellationToken cancellationToken) =>
        await administrators.FindAsync(customer.Id, cancellationToken) is null
            ? NotFound()
            : File(Encoding.UTF8.GetBytes(RemovalCsv.Template), "text/csv", "remove-users-template.csv");

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken cancellationToken)
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
        var result = await reviewer.HandleAsync(customer.Id, await UploadedFile.ReadAsync(file, cancellationToken), cancellationToken);
        if (!result.Found)
        {
            return NotFound();
        }
        if (result.Problem is not null)
        {
            ModelState.AddModelError("", result.Problem);
            return Page();
        }
        Review = result.Review;
        return Page();
    }

    /// <param name="ids">The reviewed memberships, comma separated in one field (a long list would pass the form's field count limit).</param>
    public async Task<IActionResult> OnPostRemoveAsync(string? ids, CancellationToken cancellationToken)
    {
        var membershipIds = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(id => Guid.TryParse(id, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();
        if (await remove.HandleAsync(customer.Id, membershipIds, cancellationToken) is not { } result)
        {
            return NotFound();
        }
        TempData["Flash"] = result.Removed.Count switch
        {
            0 => "Nobody was removed: the users were no longer in the organization.",
            1 => $"{result.Removed[0]} was removed from the organization and told by email.",
            var n => $"{n} users were removed from the organization and told by email.",
        } + (result.AdministratorsKept.Count > 0 ? $" Administrators cannot be removed here ({string.Join(", ", result.AdministratorsKept)}): ask support." : "");
        return RedirectToPage("/Index", new { area = "Organization" });
    }
}
