using System.Collections.Concurrent;
using ChaosModular.Billing.Pdf;
using Microsoft.IO;
using UglyToad.PdfPig;

namespace ChaosModular.UnitTests.Billing;

/// <summary>
/// The invoice download is written into pooled buffers (no large-object-heap buffer per PDF); the buffers go back to the
/// pool once the response is sent, and the download is the same document with its length and file name.
/// </summary>
public sealed class InvoicePdfDownloadTests(DemoSqlitePortalFactory factory) : IClassFixture<DemoSqlitePortalFactory>
{
    [Fact]
    public async Task A_download_sends_the_whole_document_and_gives_its_buffers_back()
    {
        var owner = await BillingCustomer.SignUpAsync(factory);
        var invoice = await owner.InvoiceAsync("EUR", 49.995m, 2, "Corona Premium annual");
        var created = new ConcurrentDictionary<Guid, byte>();
        var disposed = new ConcurrentDictionary<Guid, byte>();
        void OnCreated(object? sender, RecyclableMemoryStreamManager.StreamCreatedEventArgs e)
        {
            if (e.Tag == "invoice")
            {
                created.TryAdd(e.Id, 0);
            }
        }
        void OnDisposed(object? sender, RecyclableMemoryStreamManager.StreamDisposedEventArgs e) => disposed.TryAdd(e.Id, 0);
        DocumentStyle.Buffers.StreamCreated += OnCreated;
        DocumentStyle.Buffers.StreamDisposed += OnDisposed;
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var response = await owner.Client.GetAsync($"/billing/invoices/{invoice.InvoiceId}/pdf");
                var body = await response.Content.ReadAsByteArrayAsync();

                Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
                Assert.Equal(body.Length, response.Content.Headers.ContentLength);
                Assert.Equal($"{invoice.Number}.pdf", response.Content.Headers.ContentDisposition!.FileNameStar);
                Assert.True(body.Length > 20_000, $"an invoice with its embedded fonts is tens of KB, got {body.Length} bytes");
                Assert.Equal("%%EOF", System.Text.Encoding.ASCII.GetString(body.AsSpan(body.Length - 6, 5)));
                using var pdf = PdfDocument.Open(body);
                Assert.Contains(invoice.Number, string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)), StringComparison.Ordinal);
            }

            // Every stream the downloads took was disposed once sent (other tests' streams, if any, as well).
            Assert.True(created.Count >= 3, $"three downloads took {created.Count} pooled streams");
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (!created.Keys.All(disposed.ContainsKey) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            Assert.All(created.Keys, id => Assert.True(disposed.ContainsKey(id), $"stream {id} was never given back"));
        }
        finally
        {
            DocumentStyle.Buffers.StreamCreated -= OnCreated;
            DocumentStyle.Buffers.StreamDisposed -= OnDisposed;
        }
    }

    [Fact]
    public void Bytes_and_the_stream_hold_the_same_document()
    {
        var invoice = Sample();
        var bytes = InvoicePdf.Render(invoice, Seller, ChaosModular.Billing.Domain.InvoiceStatus.Open);
        using var stream = InvoicePdf.RenderToStream(invoice, Seller, ChaosModular.Billing.Domain.InvoiceStatus.Open);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);

        Assert.Equal(0, stream.Length - copy.Length);
        Assert.Equal(bytes.Length, copy.Length);
        // Same text and pages; PDFsharp stamps each document with its own id and creation time, so compare the words.
        using var a = PdfDocument.Open(bytes);
        using var b = PdfDocument.Open(copy.ToArray());
        Assert.Equal(Words(a), Words(b));
        Assert.Contains("INVOICE", Words(a), StringComparison.Ordinal);
    }

    private static readonly ChaosModular.Billing.SellerOptions Seller = new();

    private static ChaosModular.Billing.Domain.Invoice Sample() => ChaosModular.Billing.Domain.Invoice.Issue(
        "INV-2026-000777", "customer-pdf", "EUR", new DateTime(2026, 8, 3, 9, 30, 0, DateTimeKind.Utc), 14, 19m,
        new ChaosModular.Billing.Domain.BillingSnapshot("Muster Studio GmbH", "Hauptstraße 5", null, "Berlin", "10115", "DE", "billing@muster.example", "DE123456789"),
        [("V-Ray Solo, yearly", 2m, 470.00m, new DateOnly(2026, 8, 3), new DateOnly(2027, 8, 2), "SUB-0001")]);

    private static string Words(PdfDocument pdf) => string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
}
