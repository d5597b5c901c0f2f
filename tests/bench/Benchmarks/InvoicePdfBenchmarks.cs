using BenchmarkDotNet.Attributes;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Pdf;

namespace ChaosModular.Benchmarks;

/// <summary>One invoice PDF as DownloadInvoicePdf renders it (target: 20 ms or less each, fonts loaded once per process).</summary>
[MemoryDiagnoser]
public class InvoicePdfBenchmarks
{
    private Invoice _invoice = null!;

    [Params(3, 20)]
    public int Lines { get; set; }

    [GlobalSetup]
    public void Setup() => _invoice = SampleInvoices.Issue(Lines);

    [Benchmark]
    public int Render() => InvoicePdf.Render(_invoice, SampleInvoices.Seller, InvoiceStatus.Open).Length;
}
