using ChaosModular.Billing.Contracts;
using ChaosModular.Subscriptions.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>
/// The Buy Again cart: the expired product at today's price, a quantity, the billing information and
/// payment method it will be billed to (each changeable, returning here), and Place order.
/// </summary>
internal sealed class CartModel(BuyAgain buyAgain, IBillingApi billing) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Seats { get; set; }

    [BindProperty]
    public Guid OrderId { get; set; }

    [BindProperty]
    public decimal ExpectedTotal { get; set; }

    public BuyAgain.Quote Quote { get; private set; } = null!;
    public PaymentMethodSummary? PaymentMethod { get; private set; }
    public BillingInformationSummary? BillingInformation { get; private set; }
    public OrderOutcome? Outcome { get; private set; }

    public string ReturnUrl => $"/products/cart/{Quote.Expired.Id}?seats={Quote.Seats}";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        OrderId = Guid.NewGuid();
        ExpectedTotal = Quote.Total.Amount;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = await buyAgain.PlaceAsync(User.CustomerId(), id, Seats ?? 0, OrderId, ExpectedTotal, cancellationToken);
        if (outcome is null)
        {
            return NotFound();
        }
        if (outcome.Succeeded)
        {
            TempData["Flash"] = $"Thank you for your order: your new subscription is active. {outcome.Message}";
            return Redirect($"/products/{outcome.OrderId}");
        }
        Outcome = outcome;
        await LoadAsync(id, cancellationToken);
        OrderId = Guid.NewGuid();
        ExpectedTotal = Quote.Total.Amount;
        Response.StatusCode = outcome.Result == OrderResult.Pending ? StatusCodes.Status202Accepted : StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var quote = await buyAgain.QuoteAsync(User.CustomerId(), id, Seats, cancellationToken);
        if (quote is null)
        {
            return false;
        }
        Quote = quote;
        Seats = quote.Seats;
        PaymentMethod = await billing.DefaultPaymentMethodAsync(User.CustomerId(), cancellationToken);
        BillingInformation = await billing.BillingInformationAsync(User.CustomerId(), cancellationToken);
        return true;
    }
}
