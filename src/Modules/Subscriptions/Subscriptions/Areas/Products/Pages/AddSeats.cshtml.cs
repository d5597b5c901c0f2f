using ChaosModular.Accounts.Contracts;
using ChaosModular.Billing.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>Add seats: choose a quantity, see the prorated price, confirm to pay; the seats count once paid.</summary>
[Authorize(Policy = PortalPolicies.ConfirmedEmail)]
internal sealed class AddSeatsModel(AddSeats addSeats, IBillingApi billing, ICurrentCustomer customer) : OrderReviewPage(billing, customer)
{
    [BindProperty(SupportsGet = true)]
    public int Seats { get; set; } = 1;

    public AddSeats.Quote Quote { get; private set; } = null!;

    public override string ReturnUrl => Url.Page("/AddSeats", new { area = "Products", id = Quote.Subscription.Id, seats = Seats })!;

    protected override decimal QuotedPrice => Quote.Price.Amount;

    protected override async Task<bool> QuoteAsync(Guid id, CancellationToken cancellationToken)
    {
        var quote = await addSeats.QuoteAsync(Customer.Id, id, Seats, cancellationToken);
        if (quote is null)
        {
            return false;
        }
        Quote = quote;
        return true;
    }

    protected override Task<OrderOutcome?> PlaceAsync(Guid id, CancellationToken cancellationToken) =>
        addSeats.PlaceAsync(Customer.Id, id, Seats, OrderId, ExpectedPrice, cancellationToken);

    protected override string SucceededMessage(OrderOutcome outcome) => $"{Seats} seat(s) added. {outcome.Message}";
}
