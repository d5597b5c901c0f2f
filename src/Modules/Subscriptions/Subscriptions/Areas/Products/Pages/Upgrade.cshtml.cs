using ChaosModular.Billing.Contracts;
using ChaosModular.Subscriptions.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>Upgrade: review the target product, change the quantity, see the prorated difference, confirm to pay and switch.</summary>
internal sealed class UpgradeModel(Upgrade upgrade, IBillingApi billing) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Seats { get; set; }

    [BindProperty]
    public Guid OrderId { get; set; }

    [BindProperty]
    public decimal ExpectedPrice { get; set; }

    public Upgrade.Quote Quote { get; private set; } = null!;
    public PaymentMethodSummary? PaymentMethod { get; private set; }
    public OrderOutcome? Outcome { get; private set; }

    public string ReturnUrl => $"/products/{Quote.Subscription.Id}/upgrade?to={To}&seats={Seats}";

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
        var outcome = await upgrade.PlaceAsync(User.CustomerId(), id, To ?? "", Seats ?? 0, OrderId, ExpectedPrice, cancellationToken);
        if (outcome is null)
        {
            return NotFound();
        }
        if (outcome.Succeeded)
        {
            TempData["Flash"] = $"Upgraded. {outcome.Message}";
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
        var quote = await upgrade.QuoteAsync(User.CustomerId(), id, To, Seats, cancellationToken);
        if (quote is null)
        {
            return false;
        }
        Quote = quote;
        To = quote.Target?.Code;
        Seats = quote.Seats;
        PaymentMethod = await billing.DefaultPaymentMethodAsync(User.CustomerId(), cancellationToken);
        return true;
    }
}
