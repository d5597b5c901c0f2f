using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace ChaosModular.Billing.Pdf;

/// <summary>The receipt attached to the payment email: what was paid, how, and which invoices it settled.</summary>
internal static class ReceiptPdf
{
    private const double Margin = 50;

    static ReceiptPdf() => EmbeddedFonts.Install();

    public static string Number(Payment payment) => $"RCT-{payment.CompletedUtc ?? payment.CreatedUtc:yyyyMMdd}-{payment.Id.ToString("N")[..8].ToUpperInvariant()}";

    public static byte[] Render(Payment payment, SellerOptions seller, string billToName, string billToEmail)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"Receipt {Number(payment)}";
        var page = DocumentStyle.AddA4Page(document);
        using var g = XGraphics.FromPdfPage(page);
        var (regular, bold, title) = DocumentStyle.Standard;
        var right = page.Width.Point - Margin;
        var y = Margin;
        var paid = (payment.CompletedUtc ?? payment.CreatedUtc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

        g.DrawString("RECEIPT", title, XBrushes.Black, Margin, y + 14);
        InvoicePdf.DrawRight(g, Number(payment), bold, right, y + 4);
        InvoicePdf.DrawRight(g, $"Paid {paid} UTC", regular, right, y + 18);
        y += 44;
        foreach (var line in new[] { seller.Name, seller.Address, $"VAT ID: {seller.VatId}" })
        {
            g.DrawString(line, regular, XBrushes.Black, Margin, y);
            y += 13;
        }
        y += 8;
        g.DrawString("Received from", bold, XBrushes.Black, Margin, y);
        y += 14;
        g.DrawString($"{billToName} ({billToEmail})", regular, XBrushes.Black, Margin, y);
        y += 24;

        g.DrawString("Invoice", bold, XBrushes.Black, Margin, y);
        InvoicePdf.DrawRight(g, $"Amount ({payment.Currency})", bold, right, y);
        y += 16;
        foreach (var allocation in payment.Allocations)
        {
            g.DrawString(allocation.InvoiceNumber, regular, XBrushes.Black, Margin, y);
            InvoicePdf.DrawRight(g, InvoicePdf.Amount(allocation.Amount, payment.Currency), regular, right, y);
            y += 15;
        }
        g.DrawLine(XPens.LightGray, Margin, y - 8, right, y - 8);
        y += 6;
        foreach (var (label, amount, font) in new[]
        {
            ("Paid with credits", payment.CreditApplied, regular),
            ($"Charged to {payment.MethodDescription ?? "no card"}", payment.Amount, regular),
            ($"Total paid ({payment.Currency})", payment.Amount + payment.CreditApplied, bold),
        })
        {
            InvoicePdf.DrawRight(g, label, font, right - 110, y);
            InvoicePdf.DrawRight(g, InvoicePdf.Amount(amount, payment.Currency), font, right, y);
            y += 15;
        }

        return DocumentStyle.Bytes(document, "receipt");
    }
}
