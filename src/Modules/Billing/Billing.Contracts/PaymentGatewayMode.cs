namespace ChaosModular.Billing.Contracts;

/// <summary>
/// Which gateway takes this instance's payments. While it is the Simulated one (it follows Stripe's test card numbers
/// and charges nothing) every page says so.
/// </summary>
public sealed record PaymentGatewayMode(bool Simulated);
