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
    /// The document's bytes, streams not compressed: PDFsharp 6.2's Flate streams end with a sync flush instead of a final
    /// block and checksum, which `qpdf --check` reports ("input stream is complete but output may still be valid") and
    /// strict readers refuse. Uncompressed, an invoice is a few kilobytes larger and costs no deflate CPU. Written into a
    /// buffer sized for a typical invoice so it is not regrown while writing.
    /// </summary>
    public static byte[] Bytes(PdfDocument document)
    {
        document.Options.NoCompression = true;
        document.Options.CompressContentStreams = false;
        using var stream = new MemoryStream(64 * 1024);
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }
}
