namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>Allocate product to user (the Users list's row menu): products, number of licenses, expiration date.</summary>
internal sealed class AllocateModel(AllocateLicenses allocate, ICurrentCustomer customer) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid MembershipId { get; set; }

    [BindProperty]
    public AllocationForm Form { get; set; } = new();

    public AllocateLicenses.Choices Choices { get; private set; } = null!;

    public AllocateLicenses.Person Person => Choices.People[0];

    public IReadOnlyList<string> Refusal { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        if (!ModelState.IsValid)
        {
            Refusal = ["Check the number of licenses and the expiration date (yyyy-MM-dd)."];
            return Page();
        }
        var result = await allocate.HandleAsync(customer.Id, new AllocateLicenses.Command([MembershipId], Form.SeatsPerProduct, Form.ExpiresOn), cancellationToken);
        if (result is null)
        {
            return NotFound();
        }
        if (!result.Outcome.Succeeded)
        {
            Refusal = AllocationForm.Refusal(result.Outcome);
            return Page();
        }
        TempData["Flash"] = $"Allocated to {Person.Email}: {string.Join(", ", result.Outcome.Allocated.Select(a => $"{a.ProductName} ×{a.Seats}"))} until {AllocateLicenses.Day(Form.ExpiresOn!.Value)}.";
        return RedirectToPage("/Index", new { area = "Organization" });
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await allocate.ChoicesAsync(customer.Id, [MembershipId], cancellationToken) is not { People.Count: 1 } choices)
        {
            return false;
        }
        Choices = choices;
        return true;
    }
}
