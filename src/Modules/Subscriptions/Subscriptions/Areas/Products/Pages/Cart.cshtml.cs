using ChaosModular.Accounts.Contracts;
using ChaosModular.Billing.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>
/// The Buy Again cart: the expired product at today's price, a quantity, the billing information and
/// payment method it will be billed to (each changeable, returning here), and Place order.
/// </summary>
[Authorize(Policy = PortalPolicies.ConfirmedEmail)]
internal sealed class CartModel(BuyAgain buyAgain, IBillingApi billing, ICurrentCustomer customer) : OrderReviewPage(billing, customer)
{
    [BindProperty(SupportsGet = true)]
    public int? Seats { get; set; }

    public BuyAgain.Quote Quote { get; private set; } = null!;
    public BillingInformationSummary? BillingInformation { get; private set; }

    public override string ReturnUrl => Url.Page("/Cart", new { area = "Products", id = Quote.Expired.Id, seats = Quote.Seats })!;

    protected override decimal QuotedPrice => Quote.Total.Amount;

    protected override async Task<bool> QuoteAsync(Guid id, CancellationToken cancellationToken)
    {
        var quote = await buyAgain.QuoteAsync(Customer.Id, id, Seats, cancellationToken);
        if (quote is null)
        {
            return false;
        }
        Quote = quote;
        Seats = quote.Seats;
        BillingInformation = await Billing.BillingInformationAsync(Customer.Id, cancellationToken);
        return true;
    }

    protected override Task<OrderOutcome?> PlaceAsync(Guid id, CancellationToken cancellationToken) =>
        buyAgain.PlaceAsync(Customer.Id, id, Seats ?? 0, OrderId, ExpectedPrice, cancellationToken);

    protected override string SucceededMessage(OrderOutcome outcome) => $"Thank you for your order: your new subscription is active. {outcome.Message}";

    // The new subscription has the order's id.
    protected override Guid SucceededId(Guid id, OrderOutcome outcome) => outcome.OrderId;
}
