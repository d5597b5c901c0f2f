using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace ChaosModular.Billing.Pdf;

/// <summary>What every Billing document shares: an A4 page and the three fonts (body, bold, title) it is set in.</summary>
internal sealed record DocumentStyle(XFont Regular, XFont Bold, XFont Title)
{
    /// <summary>
    /// The fonts, made once per process after the embedded font resolver is in place: XFont objects are immutable and
    /// PDFsharp caches their glyph tables by font, so every document reuses the same ones.
    /// </summary>
    public static DocumentStyle Standard => Shared.Value;

    private static readonly Lazy<DocumentStyle> Shared = new(() =>
    {
        EmbeddedFonts.Install();
        return new DocumentStyle(
            new XFont(EmbeddedFonts.Family, 9.5, XFontStyleEx.Regular),
            new XFont(EmbeddedFonts.Family, 9.5, XFontStyleEx.Bold),
            new XFont(EmbeddedFonts.Family, 18, XFontStyleEx.Bold));
    });

    public static PdfPage AddA4Page(PdfDocument document)
    {
        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        return page;
    }

    /// <summary>
    /// The document's bytes. Streams are deflated for speed rather than the last percent of size (the default level was
    /// an eighth of an invoice PDF's CPU), into a buffer sized for a typical invoice so it is not regrown while writing.
    /// </summary>
    public static byte[] Bytes(PdfDocument document)
    {
        document.Options.FlateEncodeMode = PdfFlateEncodeMode.BestSpeed;
        using var stream = new MemoryStream(64 * 1024);
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }
}
