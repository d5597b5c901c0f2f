namespace ChaosModular.Licensing.Areas.Licensing.Pages;

/// <summary>One license: its numbers and where its seats are. Another customer's license is not found.</summary>
internal sealed class LicenseModel(ShowLicense show, ICurrentCustomer customer) : PageModel
{
    public ShowLicense.Result Shown { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await show.HandleAsync(customer.Id, id, cancellationToken) is not { } shown)
        {
            return NotFound();
        }
        Shown = shown;
        return Page();
    }
}
