using ChaosModular.Billing.Contracts;
using ChaosModular.Subscriptions.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>Add seats: choose a quantity, see the prorated price, confirm to pay; the seats count once paid.</summary>
internal sealed class AddSeatsModel(AddSeats addSeats, IBillingApi billing) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int Seats { get; set; } = 1;

    /// <summary>Made when the review is shown, so a double-clicked Confirm places one order.</summary>
    [BindProperty]
    public Guid OrderId { get; set; }

    [BindProperty]
    public decimal ExpectedPrice { get; set; }

    public AddSeats.Quote Quote { get; private set; } = null!;
    public PaymentMethodSummary? PaymentMethod { get; private set; }
    public OrderOutcome? Outcome { get; private set; }

    public string ReturnUrl => $"/products/{Quote.Subscription.Id}/add-seats?seats={Seats}";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        OrderId = Guid.NewGuid();
        ExpectedPrice = Quote.Price.Amount;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = await addSeats.PlaceAsync(User.CustomerId(), id, Seats, OrderId, ExpectedPrice, cancellationToken);
        if (outcome is null)
        {
            return NotFound();
        }
        if (outcome.Succeeded)
        {
            TempData["Flash"] = $"{Seats} seat(s) added. {outcome.Message}";
            return Redirect($"/products/{id}");
        }
        Outcome = outcome;
        await LoadAsync(id, cancellationToken);
        OrderId = Guid.NewGuid();
        ExpectedPrice = Quote.Price.Amount;
        Response.StatusCode = outcome.Result == OrderResult.Pending ? StatusCodes.Status202Accepted : StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var quote = await addSeats.QuoteAsync(User.CustomerId(), id, Seats, cancellationToken);
        if (quote is null)
        {
            return false;
        }
        Quote = quote;
        PaymentMethod = await billing.DefaultPaymentMethodAsync(User.CustomerId(), cancellationToken);
        return true;
    }
}
