using System.Text;
using Microsoft.AspNetCore.Http;

namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>Assign products via a .csv file (email,product,expires): upload, review every row, then allocate all or nothing.</summary>
[RequestSizeLimit(AllocationCsv.MaxBytes + 256 * 1024)]
// The review carries each row back as four hidden fields: up to MaxRows rows, above the default 1,024 form values.
[RequestFormLimits(MultipartBodyLengthLimit = AllocationCsv.MaxBytes + 256 * 1024, ValueCountLimit = AssignCsvModel.MaxFormValues)]
internal sealed class AssignCsvModel(AllocateFromCsv csv, ICurrentCustomer customer) : PageModel
{
    public const int MaxFormValues = AllocationCsv.MaxRows * 4 + 64;

    /// <summary>A reviewed row carried to the confirm step.</summary>
    public sealed class RowInput
    {
        public int Line { get; set; }
        public string Email { get; set; } = "";
        public string Product { get; set; } = "";
        public string Expires { get; set; } = "";
    }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    [BindProperty]
    public List<RowInput> Rows { get; set; } = [];

    public string OrganizationName { get; private set; } = "";

    public AllocateFromCsv.Review? Review { get; private set; }

    public string? Problem { get; private set; }

    public IReadOnlyList<string> Refusal { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await csv.OrganizationAsync(customer.Id, cancellationToken) is not { } organization)
        {
            return NotFound();
        }
        OrganizationName = organization.Name;
        return Page();
    }

    public async Task<IActionResult> OnGetTemplateAsync(CancellationToken cancellationToken) =>
        await csv.OrganizationAsync(customer.Id, cancellationToken) is null
            ? NotFound()
            : File(Encoding.UTF8.GetBytes(AllocationCsv.Template), "text/csv", "assign-products-template.csv");

    public async Task<IActionResult> OnPostUploadAsync(CancellationToken cancellationToken)
    {
        if (await csv.OrganizationAsync(customer.Id, cancellationToken) is not { } organization)
        {
            return NotFound();
        }
        OrganizationName = organization.Name;
        if (Upload is null || Upload.Length == 0)
        {
            Problem = "Choose a .csv file to upload.";
            return Page();
        }
        if (Upload.Length > AllocationCsv.MaxBytes)
        {
            Problem = $"The file is larger than {AllocationCsv.MaxBytes / (1024 * 1024)} MB. Split it into smaller files of email,product,expires rows.";
            return Page();
        }
        using var buffer = new MemoryStream();
        await Upload.CopyToAsync(buffer, cancellationToken);
        var review = await csv.ReviewAsync(customer.Id, buffer.ToArray(), cancellationToken);
        if (review is null)
        {
            return NotFound();
        }
        (Review, Problem) = (review, review.Problem);
        return Page();
    }

    public async Task<IActionResult> OnPostAssignAsync(CancellationToken cancellationToken)
    {
        var rows = Rows.Select(r => new AllocationCsvRow(r.Line, r.Email ?? "", r.Product ?? "", r.Expires ?? "")).ToList();
        if (await csv.HandleAsync(customer.Id, rows, cancellationToken) is not { } result)
        {
            return NotFound();
        }
        OrganizationName = result.Review.Organization.Name;
        (Review, Problem) = (result.Review, result.Review.Problem);
        if (result.Outcome is not { } outcome)
        {
            return Page();
        }
        if (!outcome.Succeeded)
        {
            Refusal = AllocationForm.Refusal(outcome);
            return Page();
        }
        TempData["Flash"] = $"{outcome.Allocated.Count} seat(s) allocated from the file.";
        return RedirectToPage("/Products", new { area = "Organization" });
    }
}
