namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>Remove one user (the row's menu) or the ticked ones: a confirm step listing who goes ("Remove N users"), then the removal.</summary>
internal sealed class RemoveModel(RemoveUsers remove, ICurrentCustomer customer) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public List<Guid> Ids { get; set; } = [];

    public RemoveUsers.Confirmation Confirmation { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await remove.ConfirmAsync(customer.Id, Ids, cancellationToken) is not { } confirmation)
        {
            return NotFound();
        }
        Confirmation = confirmation;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await remove.HandleAsync(customer.Id, Ids, cancellationToken) is not { } result)
        {
            return NotFound();
        }
        var said = new List<string>();
        if (result.Removed.Count > 0)
        {
            said.Add(result.Removed.Count == 1
                ? $"{result.Removed[0]} was removed from the organization and told by email."
                : $"{result.Removed.Count} users were removed from the organization and told by email.");
        }
        if (result.AdministratorsKept.Count > 0)
        {
            said.Add($"Administrators cannot be removed here ({string.Join(", ", result.AdministratorsKept)}): ask support.");
        }
        if (said.Count == 0)
        {
            said.Add("Nobody was removed: the users were no longer in the organization.");
        }
        TempData["Flash"] = string.Join(" ", said);
        return RedirectToPage("/Index", new { area = "Organization" });
    }
}
