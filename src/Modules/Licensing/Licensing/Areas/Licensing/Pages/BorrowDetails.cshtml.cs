namespace ChaosModular.Licensing.Areas.Licensing.Pages;

/// <summary>One borrow: its seats, machine and return date, its file to download and Return now. Another customer's is not found.</summary>
internal sealed class BorrowDetailsModel(ShowBorrow show, ReturnBorrow giveBack, ICurrentCustomer customer) : PageModel
{
    /// <summary>Where Return sends the customer back to: the page the button was on.</summary>
    public const string BackToServers = "servers", BackToLicense = "license";

    public ShowBorrow.Result Shown { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await show.HandleAsync(customer.Id, id, cancellationToken) is not { } shown)
        {
            return NotFound();
        }
        Shown = shown;
        return Page();
    }

    public async Task<IActionResult> OnPostReturnAsync(Guid id, string? back, CancellationToken cancellationToken)
    {
        var result = await giveBack.HandleAsync(customer.Id, id, cancellationToken);
        if (result.Outcome == ReturnBorrow.Outcome.NotFound)
        {
            return NotFound();
        }
        TempData["Flash"] = result.Outcome == ReturnBorrow.Outcome.Returned
            ? $"{result.Seats} borrowed seat(s) returned: they are free for your license servers again."
            : "This borrow had already ended: its seats were free already.";
        return back switch
        {
            BackToServers => RedirectToPage("/Servers"),
            BackToLicense => RedirectToPage("/License", new { id = result.LicenseId }),
            _ => RedirectToPage(new { id }),
        };
    }
}
