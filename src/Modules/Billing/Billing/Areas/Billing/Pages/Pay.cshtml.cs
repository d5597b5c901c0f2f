using ChaosModular.Accounts.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace ChaosModular.Billing.Areas.Billing.Pages;

/// <summary>Review (invoices, credits applied first, amount to charge, payment method), then pay.</summary>
[Authorize(Policy = PortalPolicies.ConfirmedEmail)]
internal sealed class PayModel(ReviewPayment review, ICurrentCustomer customer) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public List<Guid> Ids { get; set; } = [];

    [BindProperty(SupportsGet = true)]
    public bool All { get; set; }

    /// <summary>Made when the review is shown and posted back: the same review never pays twice.</summary>
    [BindProperty]
    public string IdempotencyKey { get; set; } = "";

    public ReviewPayment.Review Review { get; private set; } = new([], null, false);
    public IReadOnlyList<ReviewPayment.Group> Groups => Review.Groups;
    public string? MethodDescription => Review.MethodDescription;
    public bool MethodExpired => Review.MethodExpired;
    public IReadOnlyList<PayInvoices.Outcome>? Outcomes { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Review = await review.HandleAsync(customer.Id, Ids, All, cancellationToken);
        IdempotencyKey = Guid.NewGuid().ToString("N");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(IdempotencyKey, "N", out _))
        {
            return BadRequest();
        }
        All = false;   // pay exactly the invoices the review showed, never ones issued since
        (Review, Outcomes) = await review.ConfirmAsync(customer.Id, Ids, IdempotencyKey, cancellationToken);
        return Page();
    }
}
