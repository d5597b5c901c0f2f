using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ChaosModular.Licensing.Areas.Licensing.Pages;

/// <summary>
/// Activate a license server from the request file it wrote: upload, and on success go to the activation to download
/// the response (post, redirect, get); on a problem show the form again with what is wrong (nothing changed).
/// </summary>
[RequestSizeLimit(MaxUploadBytes)]
[RefuseLargeUpload(MaxUploadBytes)]
internal sealed class ActivateModel(ActivateFromFile activate, ICurrentCustomer customer, IOptions<LicensingOptions> options) : PageModel
{
    /// <summary>The request file's limit (<c>Licensing:Files:MaxRequestBytes</c>, 64 KB) and room for the rest of the form.</summary>
    public const long MaxUploadBytes = 72 * 1024;

    [BindProperty]
    public IFormFile? RequestFile { get; set; }

    public string? Problem { get; private set; }

    public int MaxRequestBytes => options.Value.Files.MaxRequestBytes;

    public int RequestMaxAgeDays => options.Value.Files.RequestMaxAgeDays;

    public string TooLarge => ActivateFromFile.TooLarge(MaxRequestBytes);

    public void OnGet(string? refused)
    {
        if (refused == RefuseLargeUploadAttribute.Refused)
        {
            Problem = TooLarge;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (RequestFile is not { Length: > 0 })
        {
            return Refuse("Choose the activation request file your license server wrote (…request.json).");
        }
        await using var stream = RequestFile.OpenReadStream();
        var result = await activate.HandleAsync(customer.Id, stream, cancellationToken);
        if (result.ActivationId is not { } id)
        {
            return Refuse(result.Problem!);
        }
        TempData["Flash"] = "The license server is activated. Download the activation response and load it on the server.";
        return RedirectToPage("/Activation", new { id });
    }

    private PageResult Refuse(string problem)
    {
        Problem = problem;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
