namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>
/// Assign products to several users, in steps carried by the query: the users (ticked in the Users list, or picked
/// here a page at a time) → "Continue with X users" → the products → the expiration date → "Assign to X users".
/// </summary>
internal sealed class AssignModel(AllocateLicenses allocate, ListOrganizationUsers users, ICurrentCustomer customer) : PageModel
{
    public enum Steps
    {
        Users,
        Products,
        Date,
        Review,
    }

    [BindProperty(SupportsGet = true)]
    public List<Guid> Ids { get; set; } = [];

    [BindProperty(SupportsGet = true)]
    public Steps Step { get; set; }

    [BindProperty(SupportsGet = true)]
    public AllocationForm Form { get; set; } = new();

    [BindProperty(Name = "p", SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public AllocateLicenses.Choices Choices { get; private set; } = null!;

    /// <summary>The members and guests to pick from when none were ticked (a page of the Users list).</summary>
    public ListOrganizationUsers.Result? Pick { get; private set; }

    public IReadOnlyList<string> Refusal { get; private set; } = [];

    public IReadOnlyList<AllocateLicenses.Product> Chosen => [.. Choices.Products.Where(p => Form.Products.Contains(p.Code))];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        if (Choices.People.Count == 0)
        {
            Step = Steps.Users;
            Pick = await users.HandleAsync(customer.Id, new ListOrganizationUsers.Filter(null, null, UserStatus.Active, PageNumber), cancellationToken);
            return Page();
        }
        // A later step without what the earlier one chose goes back to that step and says what is missing.
        if (Step >= Steps.Date && Chosen.Count == 0)
        {
            (Step, Refusal) = (Steps.Products, ["Choose at least one product."]);
        }
        else if (Step == Steps.Review && Form.ExpiresOn is null)
        {
            (Step, Refusal) = (Steps.Date, ["Choose the expiration date."]);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Choices.People.Count == 0)
        {
            return NotFound();
        }
        var result = await allocate.HandleAsync(customer.Id, new AllocateLicenses.Command(Ids, Form.SeatsPerProduct, Form.ExpiresOn), cancellationToken);
        if (result is null)
        {
            return NotFound();
        }
        if (!result.Outcome.Succeeded)
        {
            (Step, Refusal) = (Steps.Review, AllocationForm.Refusal(result.Outcome));
            return Page();
        }
        TempData["Flash"] = $"{result.Outcome.Allocated.Count} allocation(s) made for {result.People.Count} user(s) until {AllocateLicenses.Day(Form.ExpiresOn!.Value)}.";
        return RedirectToPage("/Products", new { area = "Organization" });
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await allocate.ChoicesAsync(customer.Id, Ids, cancellationToken) is not { } choices)
        {
            return false;
        }
        Choices = choices;
        Ids = [.. choices.People.Select(p => p.MembershipId)];
        return true;
    }

    public string? UrlFor(int page) => Url.Page("/Assign", new { area = "Organization", p = page > 1 ? page : (int?)null });
}
