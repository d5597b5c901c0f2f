using ChaosModular.Accounts.Contracts;
using ChaosModular.Billing.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>Upgrade: review the target product, change the quantity, see the prorated difference, confirm to pay and switch.</summary>
[Authorize(Policy = PortalPolicies.ConfirmedEmail)]
internal sealed class UpgradeModel(Upgrade upgrade, IBillingApi billing, ICurrentCustomer customer) : OrderReviewPage(billing, customer)
{
    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Seats { get; set; }

    public Upgrade.Quote Quote { get; private set; } = null!;

    public override string ReturnUrl => Url.Page("/Upgrade", new { area = "Products", id = Quote.Subscription.Id, to = To, seats = Seats })!;

    protected override decimal QuotedPrice => Quote.Price.Amount;

    protected override async Task<bool> QuoteAsync(Guid id, CancellationToken cancellationToken)
    {
        var quote = await upgrade.QuoteAsync(Customer.Id, id, To, Seats, cancellationToken);
        if (quote is null)
        {
            return false;
        }
        Quote = quote;
        To = quote.Target?.Code;
        Seats = quote.Seats;
        return true;
    }

    protected override Task<OrderOutcome?> PlaceAsync(Guid id, CancellationToken cancellationToken) =>
        upgrade.PlaceAsync(Customer.Id, id, To ?? "", Seats ?? 0, OrderId, ExpectedPrice, cancellationToken);

    protected override string SucceededMessage(OrderOutcome outcome) => $"Upgraded. {outcome.Message}";

    /// <summary>A partial upgrade shows the new subscription its seats moved to.</summary>
    protected override Guid SucceededId(Guid id, OrderOutcome outcome) => outcome.CreatedSubscriptionId ?? id;
}
