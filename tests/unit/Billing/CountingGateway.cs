using System.Collections.Concurrent;
using ChaosModular.Billing.Gateways;

namespace ChaosModular.UnitTests.Billing;

/// <summary>The simulated gateway, counting every charge that reaches it by idempotency key (thread-safe, for concurrent runs).</summary>
internal sealed class CountingGateway : IPaymentGateway
{
    private readonly SimulatedGateway _inner = new();

    public ConcurrentDictionary<string, int> ChargesByKey { get; } = new(StringComparer.Ordinal);

    public int Charges => ChargesByKey.Values.Sum();


    public Task<GatewayResult> ChargeAsync(GatewayCharge charge, CancellationToken cancellationToken)
    {
        ChargesByKey.AddOrUpdate(charge.IdempotencyKey, 1, (_, n) => n + 1);
        return _inner.ChargeAsync(charge, cancellationToken);
    }
}
