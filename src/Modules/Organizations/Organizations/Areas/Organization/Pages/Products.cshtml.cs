namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>Organization › Products: the organization's licenses, what is allocated and free, who holds them; revoke an allocation.</summary>
internal sealed class ProductsModel(ShowProducts show, RevokeAllocation revoke, ICurrentCustomer customer) : PageModel
{
    [BindProperty(Name = "p", SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public ShowProducts.Result Products { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await show.HandleAsync(customer.Id, PageNumber, cancellationToken) is not { } result)
        {
            return NotFound();
        }
        Products = result;
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid allocationId, CancellationToken cancellationToken)
    {
        var result = await revoke.HandleAsync(customer.Id, allocationId, cancellationToken);
        if (result.Outcome == RevokeAllocation.Outcome.NotFound)
        {
            return NotFound();
        }
        TempData["Flash"] = result.Outcome == RevokeAllocation.Outcome.Revoked
            ? $"{result.Allocation!.ProductName} ({result.Allocation.Seats} seat(s)) was revoked from {result.Email}: the seats are free again."
            : "That allocation had already ended (revoked, expired, or its user left): nothing changed.";
        return RedirectToPage("/Products", new { area = "Organization", p = PageNumber > 1 ? PageNumber : (int?)null });
    }

    public string? UrlFor(int page) => Url.Page("/Products", new { area = "Organization", p = page > 1 ? page : (int?)null });
}
