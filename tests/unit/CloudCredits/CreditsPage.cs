using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace ChaosModular.UnitTests.CloudCredits;

/// <summary>
/// Reads the Cloud Credits page the way a customer reads it: the totals, each grant's row, the Start rendering link.
/// Text is an element's text as shown (<see cref="Shown"/>): its text content with HTML's whitespace collapsing, nothing
/// else rewritten.
/// </summary>
public sealed partial class CreditsPage(string html)
{
    private readonly IDocument _document = new HtmlParser().ParseDocument(html);

    public string Html => html;

    public string? Remaining => Text("credits-remaining");
    public string? Used => Text("credits-used");
    public bool HasTable => _document.QuerySelector("[data-testid=credits-table]") is not null;
    public bool IsEmpty => _document.QuerySelector("[data-testid=empty-state]") is not null;

    /// <summary>Each grant in page order, its cells by their <c>data-testid</c>.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Rows =>
        RowElements.Select(row => (IReadOnlyDictionary<string, string>)row.QuerySelectorAll("[data-testid]")
                .GroupBy(cell => cell.GetAttribute("data-testid")!)
                .ToDictionary(g => g.Key, g => Shown(g.First())))
            .ToList();

    public IReadOnlyDictionary<string, string> Row(string description) => Assert.Single(Rows, r => r["description"] == description);

    /// <summary>The usage bar of a row: its aria values.</summary>
    public (string Now, string Text) UsageBar(string description)
    {
        var row = Assert.Single(RowElements, r => r.QuerySelector("[data-testid=description]") is { } cell && Shown(cell) == description);
        var bar = row.QuerySelector("[role=progressbar]");
        Assert.True(bar is not null, $"No usage bar in the row of {description}");
        return (bar.GetAttribute("aria-valuenow") ?? "", bar.GetAttribute("aria-valuetext") ?? "");
    }

    /// <summary>The Start rendering anchor's opening tag, as served.</summary>
    public string? StartRendering => StartPattern().Match(html) is { Success: true } m ? m.Value : null;

    /// <summary>The text a reader sees: runs of HTML whitespace shown as one space, none at either end.</summary>
    public static string Shown(IElement element) => HtmlWhitespace().Replace(element.TextContent, " ").Trim();

    private IEnumerable<IElement> RowElements => _document.QuerySelectorAll("tr[data-testid=credit-row]");

    private string? Text(string testId) => _document.QuerySelector($"[data-testid={testId}]") is { } element ? Shown(element) : null;

    [GeneratedRegex("<a [^>]*data-testid=\"start-rendering\"[^>]*>")]
    private static partial Regex StartPattern();

    [GeneratedRegex("[ \t\n\f\r]+")]
    private static partial Regex HtmlWhitespace();
}
