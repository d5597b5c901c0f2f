using System.ComponentModel.DataAnnotations;

namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>Allocate credits to one user (the Users row menu) or the ticked ones; change or revoke what they have.</summary>
internal sealed class AllocateCreditsModel(AllocateCredits allocate, ICurrentCustomer customer) : PageModel
{
    public enum AllocationKind
    {
        Amount,
        Unlimited,
    }

    public sealed class AllocationForm
    {
        public AllocationKind Kind { get; set; } = AllocationKind.Amount;

        [Display(Name = "Credits")]
        public decimal? Amount { get; set; }
    }

    [BindProperty(SupportsGet = true)]
    public List<Guid> Ids { get; set; } = [];

    [BindProperty]
    public AllocationForm Form { get; set; } = new();

    public AllocateCredits.Selection Selection { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await allocate.SelectAsync(customer.Id, Ids, cancellationToken) is not { } selection)
        {
            return NotFound();
        }
        Selection = selection;
        if (selection.People.Count == 1 && selection.People[0].Allocation is { } current)
        {
            Form = new AllocationForm { Kind = current.IsUnlimited ? AllocationKind.Unlimited : AllocationKind.Amount, Amount = current.Limit };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Form.Kind == AllocationKind.Amount && Form.Amount is null && ModelState.IsValid)
        {
            ModelState.AddModelError("Form.Amount", "Enter the number of credits, or choose unlimited.");
        }
        if (!ModelState.IsValid)
        {
            return await ShowAsync(cancellationToken);
        }
        var limit = Form.Kind == AllocationKind.Unlimited ? null : Form.Amount;
        if (await allocate.AllocateAsync(customer.Id, Ids, limit, cancellationToken) is not { } result)
        {
            return NotFound();
        }
        if (!result.Done)
        {
            ModelState.AddModelError("Form.Amount", result.Problem!);
            return await ShowAsync(cancellationToken);
        }
        var what = limit is { } amount ? $"{amount:#,0.##} credits" : "unlimited credits (up to the pool)";
        TempData["Flash"] = result.Changes.Count == 1
            ? $"{result.Changes[0].Email} now has {what}."
            : $"{result.Changes.Count} users now have {what} each.";
        return RedirectToPage("/Credits", new { area = "Organization" });
    }

    public async Task<IActionResult> OnPostRevokeAsync(CancellationToken cancellationToken)
    {
        if (await allocate.RevokeAsync(customer.Id, Ids, cancellationToken) is not { } result)
        {
            return NotFound();
        }
        TempData["Flash"] = result.Changes.Count switch
        {
            0 => "Nobody had an allocation to revoke.",
            1 => $"The allocation of {result.Changes[0].Email} is revoked: what they did not use stays in the pool.",
            var n => $"{n} allocations are revoked: what they did not use stays in the pool.",
        };
        return RedirectToPage("/Credits", new { area = "Organization" });
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        if (await allocate.SelectAsync(customer.Id, Ids, cancellationToken) is not { } selection)
        {
            return NotFound();
        }
        Selection = selection;
        return Page();
    }
}
