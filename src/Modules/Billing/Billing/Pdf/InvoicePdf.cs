using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace ChaosModular.Billing.Pdf;

/// <summary>Invoices and receipts as PDF (PDFsharp, with the DejaVu fonts embedded in this module).</summary>
internal static class InvoicePdf
{
    private const double Margin = 50;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    static InvoicePdf() => EmbeddedFonts.Install();

    /// <summary>Line height of a wrapped description, and the space a row's last line leaves below it.</summary>
    private const double WrappedLine = 12;

    /// <summary>What the totals and the closing note need below the last row before the page ends.</summary>
    private const double Footer = 150;

    /// <param name="paidWith">The cards (brand and last four) that paid the invoice; a removed card still shows.</param>
    public static byte[] Render(Invoice invoice, SellerOptions seller, InvoiceStatus shownStatus, IReadOnlyList<string>? paidWith = null)
    {
        using var document = Compose(invoice, seller, shownStatus, paidWith);
        return DocumentStyle.Bytes(document, "invoice");
    }

    /// <summary>The invoice written into a pooled stream positioned at its start (the download): dispose it when sent.</summary>
    public static Stream RenderToStream(Invoice invoice, SellerOptions seller, InvoiceStatus shownStatus, IReadOnlyList<string>? paidWith = null)
    {
        using var document = Compose(invoice, seller, shownStatus, paidWith);
        return DocumentStyle.Write(document, "invoice");
    }

    private static PdfDocument Compose(Invoice invoice, SellerOptions seller, InvoiceStatus shownStatus, IReadOnlyList<string>? paidWith)
    {
        var document = new PdfDocument();
        document.Info.Title = $"Invoice {invoice.Number}";
        document.Info.Author = seller.Name;
        var page = DocumentStyle.AddA4Page(document);
        var g = XGraphics.FromPdfPage(page);
        try
        {
            Draw(document, ref page, ref g, invoice, seller, shownStatus, paidWith ?? []);
        }
        catch
        {
            document.Dispose();
            throw;
        }
        finally
        {
            g.Dispose();
        }
        return document;
    }

    private static void Draw(PdfDocument document, ref PdfPage page, ref XGraphics g, Invoice invoice, SellerOptions seller, InvoiceStatus shownStatus, IReadOnlyList<string> paidWith)
    {
        var (regular, bold, title) = DocumentStyle.Standard;
        var width = page.Width.Point - 2 * Margin;
        var y = Margin;

        g.DrawString("INVOICE", title, XBrushes.Black, Margin, y + 14);
        DrawRight(g, invoice.Number, bold, Margin + width, y + 4);
        DrawRight(g, $"Status: {shownStatus}", regular, Margin + width, y + 18);
        if (invoice.Status == InvoiceStatus.Void)
        {
            g.DrawString("VOID", title, XBrushes.Firebrick, Margin + 120, y + 14);
        }
        y += 40;

        var top = y;
        y = Block(g, "From", [seller.Name, seller.Address, seller.Country, $"VAT ID: {seller.VatId}", seller.Email], Margin, y, regular, bold);
        var bill = invoice.BillTo;
        var billLines = new List<string> { bill.Name, bill.AddressLine1 };
        if (!string.IsNullOrWhiteSpace(bill.AddressLine2))
        {
            billLines.Add(bill.AddressLine2);
        }
        billLines.Add($"{bill.PostalCode} {bill.City}");
        billLines.Add(bill.Country);
        if (!string.IsNullOrWhiteSpace(bill.VatId))
        {
            billLines.Add($"VAT ID: {bill.VatId}");
        }
        billLines.Add(bill.BillingEmail);
        var yBill = Block(g, "Bill to", billLines, Margin + width / 2, top, regular, bold);
        y = Math.Max(y, yBill) + 10;

        g.DrawString($"Issue date: {invoice.IssuedUtc.ToString("yyyy-MM-dd", Invariant)}", regular, XBrushes.Black, Margin, y);
        g.DrawString($"Due date: {invoice.DueUtc.ToString("yyyy-MM-dd", Invariant)}", regular, XBrushes.Black, Margin + 180, y);
        g.DrawString($"Currency: {invoice.Currency}", regular, XBrushes.Black, Margin + 340, y);
        y += 24;

        double[] columns = [Margin, Margin + 215, Margin + 330, Margin + 370, Margin + 440];
        g.DrawRectangle(XBrushes.WhiteSmoke, Margin, y - 11, width, 16);
        g.DrawString("Description", bold, XBrushes.Black, columns[0] + 2, y);
        g.DrawString("Period", bold, XBrushes.Black, columns[1], y);
        DrawRight(g, "Qty", bold, columns[3] - 4, y);
        DrawRight(g, "Unit price", bold, columns[4] - 4, y);
        DrawRight(g, "Amount", bold, Margin + width - 2, y);
        y += 18;
        foreach (var line in invoice.Lines)
        {
            // A long description wraps within its column (never cut): the row grows by a line per wrap.
            var wrapped = Wrap(g, line.Description, regular, columns[1] - columns[0] - 6);
            if (y + wrapped.Count * WrappedLine > page.Height.Point - Margin - Footer && y > Margin + 200)
            {
                g.Dispose();
                page = DocumentStyle.AddA4Page(document);
                g = XGraphics.FromPdfPage(page);
                y = Margin + 14;
                g.DrawString($"{invoice.Number} (continued)", bold, XBrushes.Black, Margin, y);
                y += 24;
            }
            for (var i = 0; i < wrapped.Count; i++)
            {
                g.DrawString(wrapped[i], regular, XBrushes.Black, columns[0] + 2, y + i * WrappedLine);
            }
            var period = line.PeriodStart is { } s && line.PeriodEnd is { } e ? $"{s:yyyy-MM-dd} – {e:yyyy-MM-dd}" : "";
            g.DrawString(period, regular, XBrushes.Black, columns[1], y);
            DrawRight(g, line.Quantity.ToString("0.##", Invariant), regular, columns[3] - 4, y);
            DrawRight(g, Amount(line.UnitPrice, invoice.Currency), regular, columns[4] - 4, y);
            DrawRight(g, Amount(line.Amount, invoice.Currency), regular, Margin + width - 2, y);
            y += 16 + (wrapped.Count - 1) * WrappedLine;
        }
        g.DrawLine(XPens.LightGray, Margin, y - 8, Margin + width, y - 8);
        y += 6;

        var tax = TaxPolicy.Label(invoice.TaxRatePercent, invoice.BillTo, seller.Country);
        foreach (var (label, value, font) in new[]
        {
            ("Subtotal", invoice.Subtotal, regular),
            (tax, invoice.Tax, regular),
            ($"Total ({invoice.Currency})", invoice.Total, bold),
            ("Paid", invoice.AmountPaid, regular),
            ($"Balance due ({invoice.Currency})", invoice.Balance, bold),
        })
        {
            DrawRight(g, label, font, columns[4] - 4, y);
            DrawRight(g, Amount(value, invoice.Currency), font, Margin + width - 2, y);
            y += 15;
        }
        y += 20;
        if (TaxPolicy.Note(invoice.TaxRatePercent, invoice.BillTo) is { } note)
        {
            g.DrawString(note, regular, XBrushes.Black, Margin, y);
            y += 15;
        }
        if (invoice.Status == InvoiceStatus.Void)
        {
            g.DrawString($"VOID: this invoice was voided on {invoice.VoidedUtc:yyyy-MM-dd}. Nothing is due.", bold, XBrushes.Black, Margin, y);
            var reason = Wrap(g, $"Reason: {invoice.VoidReason}", regular, width);
            for (var i = 0; i < reason.Count; i++)
            {
                g.DrawString(reason[i], regular, XBrushes.Black, Margin, y + 15 + i * WrappedLine);
            }
        }
        else
        {
            g.DrawString(invoice.Status == InvoiceStatus.Paid
                    ? $"Paid on {invoice.PaidUtc:yyyy-MM-dd}. Thank you for your business."
                    : $"Please pay by {invoice.DueUtc:yyyy-MM-dd}. Your saved payment method is charged automatically on the due date.",
                regular, XBrushes.Black, Margin, y);
            if (paidWith.Count > 0)
            {
                g.DrawString($"Paid with {string.Join(", ", paidWith)}.", regular, XBrushes.Black, Margin, y + 15);
            }
        }
    }

    internal static string Amount(decimal amount, string currency) =>
        amount.ToString("N" + ChaosModular.Modules.Abstractions.Money.MinorUnitDigits(currency), Invariant);

    private static double Block(XGraphics g, string heading, IEnumerable<string> lines, double x, double y, XFont regular, XFont bold)
    {
        g.DrawString(heading, bold, XBrushes.Black, x, y);
        y += 14;
        foreach (var line in lines)
        {
            g.DrawString(line, regular, XBrushes.Black, x, y);
            y += 13;
        }
        return y;
    }

    internal static void DrawRight(XGraphics g, string text, XFont font, double right, double y) =>
        g.DrawString(text, font, XBrushes.Black, right - g.MeasureString(text, font).Width, y);

    /// <summary>
    /// The text in lines no wider than <paramref name="width"/>, broken at spaces; a word wider than the line on its own
    /// is broken where it must be. Nothing is left out.
    /// </summary>
    internal static List<string> Wrap(XGraphics g, string text, XFont font, double width)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (g.MeasureString(candidate, font).Width <= width)
            {
                current = candidate;
                continue;
            }
            if (current.Length > 0)
            {
                lines.Add(current);
            }
            current = word;
            while (current.Length > 1 && g.MeasureString(current, font).Width > width)
            {
                var fits = current.Length - 1;
                while (fits > 1 && g.MeasureString(current[..fits], font).Width > width)
                {
                    fits--;
                }
                lines.Add(current[..fits]);
                current = current[fits..];
            }
        }
        if (current.Length > 0 || lines.Count == 0)
        {
            lines.Add(current);
        }
        return lines;
    }
}

/// <summary>PDFsharp's font source: the two DejaVu Sans faces shipped in this assembly, nothing from the machine.</summary>
internal sealed class EmbeddedFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private static readonly Lock Gate = new();
    private static bool _installed;

    public static void Install()
    {
        lock (Gate)
        {
            if (!_installed)
            {
                GlobalFontSettings.FontResolver = new EmbeddedFonts();
                _installed = true;
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        new(isBold ? "DejaVuSans-Bold" : "DejaVuSans");

    /// <summary>Each face read from the assembly once per process; PDFsharp asks again for every new document.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Faces = new(StringComparer.Ordinal);

    public byte[]? GetFont(string faceName) => Faces.GetOrAdd(faceName, Load);

    private static byte[] Load(string faceName)
    {
        using var stream = typeof(EmbeddedFonts).Assembly.GetManifestResourceStream($"ChaosModular.Billing.Pdf.Fonts.{faceName}.ttf")
            ?? throw new InvalidOperationException($"Font {faceName} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
