using BenchmarkDotNet.Attributes;
using ChaosModular.Billing.Domain;
using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Benchmarks;

/// <summary>Billing's invoice arithmetic: the totals of 20 lines, and issuing an invoice (lines rounded, totals, due date).</summary>
[MemoryDiagnoser]
public class InvoiceTotalsBenchmarks
{
    private Money[] _lineAmounts = [];

    [GlobalSetup]
    public void Setup() =>
        _lineAmounts = [.. Enumerable.Range(1, 20).Select(i => InvoiceMath.LineAmount(i, 19.99m + i, "EUR"))];

    [Benchmark]
    public Money Totals() => InvoiceMath.Totals(_lineAmounts, 20m, "EUR").Total;

    [Benchmark]
    public decimal IssueWith20Lines() => SampleInvoices.Issue(20).Total;
}
