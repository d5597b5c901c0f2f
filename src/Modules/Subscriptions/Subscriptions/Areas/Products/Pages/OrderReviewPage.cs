using ChaosModular.Billing.Contracts;
using Microsoft.AspNetCore.Http;

namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>
/// What add seats, upgrade and the cart share: a review that makes the order's id and remembers the price
/// shown, then a confirm that pays. Success goes to the subscription with a message; a decline or refusal
/// stays on the review with the reason (422); a charge still unanswered goes to the order's status page (<see cref="OrderModel"/>).
/// </summary>
internal abstract class OrderReviewPage(IBillingApi billing, ICurrentCustomer customer) : PageModel
{
    /// <summary>Made when the review is shown, so a double-clicked Confirm places one order.</summary>
    [BindProperty]
    public Guid OrderId { get; set; }

    /// <summary>The price the customer saw; the order is refused if it changed meanwhile.</summary>
    [BindProperty]
    public decimal ExpectedPrice { get; set; }

    protected IBillingApi Billing { get; } = billing;

    protected ICurrentCustomer Customer { get; } = customer;

    public PaymentMethodSummary? PaymentMethod { get; private set; }
    public OrderOutcome? Outcome { get; private set; }

    /// <summary>The review's address with its current choices, to come back to after changing the payment method.</summary>
    public abstract string ReturnUrl { get; }

    protected abstract decimal QuotedPrice { get; }

    /// <summary>False when the customer has no such subscription.</summary>
    protected abstract Task<bool> QuoteAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Null when the customer has no such subscription.</summary>
    protected abstract Task<OrderOutcome?> PlaceAsync(Guid id, CancellationToken cancellationToken);

    protected abstract string SucceededMessage(OrderOutcome outcome);

    /// <summary>Where a paid order goes: the subscription it changed or created.</summary>
    protected virtual Guid SucceededId(Guid id, OrderOutcome outcome) => id;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = await PlaceAsync(id, cancellationToken);
        if (outcome is null)
        {
            return NotFound();
        }
        if (outcome.Succeeded)
        {
            TempData["Flash"] = SucceededMessage(outcome);
            return RedirectToPage("/Details", new { area = "Products", id = SucceededId(id, outcome) });
        }
        if (outcome.Result == OrderResult.Pending)
        {
            // The payment service has not answered: the order's own page says so and refreshes itself until it completes or fails.
            return Redirect(SubscriptionsRoutes.Order(outcome.OrderId));
        }
        Outcome = outcome;
        await LoadAsync(id, cancellationToken);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await QuoteAsync(id, cancellationToken))
        {
            return false;
        }
        PaymentMethod = await Billing.DefaultPaymentMethodAsync(Customer.Id, cancellationToken);
        OrderId = Guid.NewGuid();
        ExpectedPrice = QuotedPrice;
        return true;
    }
}
