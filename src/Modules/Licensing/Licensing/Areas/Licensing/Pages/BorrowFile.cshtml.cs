using System.Text;

namespace ChaosModular.Licensing.Areas.Licensing.Pages;

/// <summary>A borrow's signed file, as an attachment, while the borrow is active. Another customer's borrow is not found.</summary>
internal sealed class BorrowFileModel(BorrowFile borrowFile, ICurrentCustomer customer) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await borrowFile.HandleAsync(customer.Id, id, cancellationToken) is { } file
            ? File(Encoding.UTF8.GetBytes(file.Content), "application/json", file.FileName)
            : NotFound();
}
