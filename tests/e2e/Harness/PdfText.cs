using UglyToad.PdfPig;

namespace ChaosModular.E2E.Harness;

/// <summary>The text a reader of a PDF sees, extracted with PdfPig.</summary>
public static class PdfText
{
    /// <summary>
    /// Every page's words joined by single spaces, so phrases ("Demo Visualisation GmbH") match however the
    /// PDF positions them. Throws if the bytes are not a PDF.
    /// </summary>
    public static string Extract(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(page => string.Join(" ", page.GetWords().Select(w => w.Text))));
    }
}
