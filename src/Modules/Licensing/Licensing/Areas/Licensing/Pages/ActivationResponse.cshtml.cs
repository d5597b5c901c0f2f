using System.Text;

namespace ChaosModular.Licensing.Areas.Licensing.Pages;

/// <summary>The activation response file, as an attachment. Another customer's activation is not found.</summary>
internal sealed class ActivationResponseModel(FileActivationResponse response, ICurrentCustomer customer) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await response.HandleAsync(customer.Id, id, cancellationToken) is { } file
            ? File(Encoding.UTF8.GetBytes(file.Content), "application/json", file.FileName)
            : NotFound();
}
