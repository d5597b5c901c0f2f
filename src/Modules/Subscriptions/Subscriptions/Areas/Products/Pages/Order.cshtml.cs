namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>
/// An order's status: where a purchase whose payment is still unanswered sends the customer. It says what was ordered and
/// that the payment is being confirmed, and refreshes itself until the order completes or fails.
/// </summary>
internal sealed class OrderModel(ShowOrder show, ICurrentCustomer customer) : PageModel
{
    /// <summary>How often the page reloads itself while the payment is being confirmed.</summary>
    public const int ReloadAfterMilliseconds = 5000;

    public ShowOrder.View View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await show.HandleAsync(customer.Id, id, cancellationToken) is not { } view)
        {
            return NotFound();
        }
        View = view;
        return Page();
    }
}
