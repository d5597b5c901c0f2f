using System.Collections.Concurrent;
using ChaosModular.Billing.Gateways;

namespace ChaosModular.UnitTests.Billing;

/// <summary>
/// The host's payment gateway, decorated: counts every charge that reaches it (by idempotency key) and holds charges at a
/// <see cref="RaceHold"/> until every racing request has reached the gateway or has answered without it. A working claim
/// answers the others while the first charge is held (they see the invoice being paid, not paid); without one they
/// all reach the gateway and are charged.
/// </summary>
internal sealed class HoldingGateway(RaceHold hold) : IPaymentGateway
{
    private IPaymentGateway? _inner;

    public ConcurrentDictionary<string, int> ChargesByKey { get; } = new(StringComparer.Ordinal);

    public int Charges => ChargesByKey.Values.Sum();

    /// <summary>Put in front of the host's gateway (in <see cref="PortalFactory.TestServices"/>).</summary>
    public void DecorateIn(IServiceCollection services) =>
        services.Decorate<IPaymentGateway>((inner, _) =>
        {
            _inner = inner;
            return this;
        });

    public async Task<GatewayResult> ChargeAsync(GatewayCharge charge, CancellationToken cancellationToken)
    {
        ChargesByKey.AddOrUpdate(charge.IdempotencyKey, 1, (_, n) => n + 1);
        await hold.ArriveAsync();
        return await Inner.ChargeAsync(charge, cancellationToken);
    }

    public Task ForgetCardAsync(string cardToken, CancellationToken cancellationToken) => Inner.ForgetCardAsync(cardToken, cancellationToken);

    private IPaymentGateway Inner => _inner ?? throw new InvalidOperationException("The holding gateway was not put in front of a host's gateway.");
}
