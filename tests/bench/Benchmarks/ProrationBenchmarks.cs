using BenchmarkDotNet.Attributes;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Subscriptions.Domain;

namespace ChaosModular.Benchmarks;

/// <summary>Subscriptions' proration: added seats and an upgrade, mid-term.</summary>
[MemoryDiagnoser]
public class ProrationBenchmarks
{
    private static readonly DateOnly PeriodStart = new(2026, 1, 15);
    private static readonly DateOnly Renewal = new(2027, 1, 15);
    private static readonly DateOnly Today = new(2026, 8, 3);
    private static readonly Money Standard = new(1188.00m, "EUR");
    private static readonly Money Premium = new(1788.00m, "EUR");

    [Benchmark]
    public Money AddedSeats() => Proration.ForAddedSeats(3, Standard, Today, PeriodStart, Renewal);

    [Benchmark]
    public Money Upgrade() => Proration.ForUpgrade(5, Standard, 7, Premium, Today, PeriodStart, Renewal);
}
