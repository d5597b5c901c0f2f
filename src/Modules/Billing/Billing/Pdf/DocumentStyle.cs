using System.Buffers;
using Microsoft.IO;
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
    /// Buffers for the documents being written, pooled for the process. A document written into a fresh
    /// <see cref="MemoryStream"/> grew it past 85 KB (an invoice with its two embedded font subsets is about 130 KB), so
    /// every PDF left two or three buffers on the large object heap, which fragmented it under load (docs/performance.md,
    /// "Web memory, round 4"). Blocks of 64 KB stay on the small object heap; at most 4 MB of free blocks are kept.
    /// </summary>
    internal static readonly RecyclableMemoryStreamManager Buffers = new(new RecyclableMemoryStreamManager.Options
    {
        BlockSize = 64 * 1024,
        LargeBufferMultiple = 1024 * 1024,
        MaximumBufferSize = 16 * 1024 * 1024,
        MaximumSmallPoolFreeBytes = 4 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 4 * 1024 * 1024,
    });

    /// <summary>
    /// The document written into a pooled stream, positioned at its start; disposing the stream returns its buffers.
    /// Streams are not compressed: PDFsharp 6.2's Flate streams end with a sync flush instead of a final block and
    /// checksum, which `qpdf --check` reports ("input stream is complete but output may still be valid") and strict
    /// readers refuse. Uncompressed, an invoice is a few kilobytes larger and costs no deflate CPU.
    /// </summary>
    public static Stream Write(PdfDocument document, string tag)
    {
        document.Options.NoCompression = true;
        document.Options.CompressContentStreams = false;
        var stream = Buffers.GetStream(tag);
        try
        {
            document.Save(stream, closeStream: false);
            stream.Position = 0;
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The document's bytes (an email attachment, a test): <see cref="Write"/> copied out once.</summary>
    public static byte[] Bytes(PdfDocument document, string tag)
    {
        using var stream = (RecyclableMemoryStream)Write(document, tag);
        return stream.GetReadOnlySequence().ToArray();
    }
}
