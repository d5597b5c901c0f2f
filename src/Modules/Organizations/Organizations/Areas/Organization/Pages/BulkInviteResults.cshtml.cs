namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>A bulk invite's per-row results as CSV, the file the report email attaches.</summary>
internal sealed class BulkInviteResultsModel(BulkInviteResults results, ICurrentCustomer customer) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await results.HandleAsync(customer.Id, id, cancellationToken) is { } file
            ? File(file.Content, "text/csv", file.Name)
            : NotFound();
}
