
namespace ChaosModular.Billing.Gateways;

internal sealed record CardInput(string Number, int ExpiryMonth, int ExpiryYear, string Cvc);

internal sealed record GatewayCard(string Brand, string Last4, int ExpiryMonth, int ExpiryYear, string Token);

/// <param name="AskingAgain">
/// True when <see cref="Jobs.PendingPaymentsJob"/> asks about a charge the gateway did not answer the first time (same key, same
/// parameters); a real provider answers from the key alone, the Simulated gateway uses it to answer its "no answer" card late.
/// </param>
internal sealed record GatewayCharge(string CustomerId, string CardToken, string CardLast4, Money Amount, string IdempotencyKey, string Description, bool AskingAgain = false);

internal sealed record GatewayResult(bool Succeeded, string? Reference, string? DeclineReason)
{
    public static GatewayResult Paid(string reference) => new(true, reference, null);
    public static GatewayResult Declined(string reason) => new(false, null, reason);
}

/// <summary>The card was refused when saving it; the message is the gateway's, fit to show.</summary>
internal sealed class CardRejectedException(string message) : Exception(message);

/// <summary>Where saved cards are charged. Simulated by default; Stripe when a key is configured.</summary>
internal interface IPaymentGateway
{
    /// <summary>Charges off-session. The same idempotency key never charges twice.</summary>
    Task<GatewayResult> ChargeAsync(GatewayCharge charge, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets a removed card at the provider, so it can never be charged again (Stripe: the payment method is detached).
    /// A gateway that keeps no card at a provider (Simulated) has nothing to forget.
    /// </summary>
    Task ForgetCardAsync(string cardToken, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Cards typed into the portal's own form and sent to the server: the Simulated gateway only, which keeps brand, last
/// four digits and expiry and forgets the rest.
/// </summary>
internal interface IServerCardEntry
{
    Task<GatewayCard> SaveCardAsync(string customerId, string customerEmail, CardInput card, CancellationToken cancellationToken);
}

/// <summary>
/// Cards typed into the payment provider's own fields in the browser (Stripe.js Elements confirming a SetupIntent):
/// the portal's server never receives a card number or security code, only the id of the finished setup.
/// </summary>
internal interface IBrowserCardEntry
{
    /// <summary>The provider's publishable key, given to its script in the browser.</summary>
    string PublishableKey { get; }

    /// <summary>The provider's script (Stripe.js), loaded from its own address.</summary>
    Uri ScriptUrl { get; }

    /// <summary>Starts a card setup for the customer and returns the secret the browser confirms it with.</summary>
    Task<string> StartCardSetupAsync(string customerId, string customerEmail, CancellationToken cancellationToken);

    /// <summary>
    /// The card of a setup the browser confirmed; throws <see cref="CardRejectedException"/> when the setup is not this
    /// customer's, or not finished (declined, or the bank's check not passed).
    /// </summary>
    Task<GatewayCard> CompleteCardSetupAsync(string customerId, string setupId, CancellationToken cancellationToken);
}
