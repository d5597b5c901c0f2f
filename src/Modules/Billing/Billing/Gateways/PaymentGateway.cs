
namespace ChaosModular.Billing.Gateways;

internal sealed record CardInput(string Number, int ExpiryMonth, int ExpiryYear, string Cvc);

internal sealed record GatewayCard(string Brand, string Last4, int ExpiryMonth, int ExpiryYear, string Token);

internal sealed record GatewayCharge(string CustomerId, string CardToken, string CardLast4, Money Amount, string IdempotencyKey, string Description);

internal sealed record GatewayResult(bool Succeeded, string? Reference, string? DeclineReason)
{
    public static GatewayResult Paid(string reference) => new(true, reference, null);
    public static GatewayResult Declined(string reason) => new(false, null, reason);
}

/// <summary>The card was refused when saving it; the message is the gateway's, fit to show.</summary>
internal sealed class CardRejectedException(string message) : Exception(message);

/// <summary>Where cards are kept and charged. Simulated by default; Stripe when a key is configured.</summary>
internal interface IPaymentGateway
{
    Task<GatewayCard> SaveCardAsync(string customerId, string customerEmail, CardInput card, CancellationToken cancellationToken);

    /// <summary>Charges off-session. The same idempotency key never charges twice.</summary>
    Task<GatewayResult> ChargeAsync(GatewayCharge charge, CancellationToken cancellationToken);
}
