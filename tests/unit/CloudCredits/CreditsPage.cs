using System.Text.RegularExpressions;

namespace ChaosModular.UnitTests.CloudCredits;

/// <summary>Reads the Cloud Credits page the way a customer reads it: the totals, each grant's row, the Start rendering link.</summary>
public sealed partial class CreditsPage(string html)
{
    public string Html => html;

    public string? Remaining => Text("credits-remaining");
    public string? Used => Text("credits-used");
    public bool HasTable => html.Contains("data-testid=\"credits-table\"", StringComparison.Ordinal);
    public bool IsEmpty => html.Contains("data-testid=\"empty-state\"", StringComparison.Ordinal);

    /// <summary>Each grant in page order, its cells by their <c>data-testid</c>.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Rows =>
        RowPattern().Matches(html).Select(m => (IReadOnlyDictionary<string, string>)CellPattern().Matches(m.Value)
                .GroupBy(c => c.Groups["id"].Value)
                .ToDictionary(g => g.Key, g => Clean(g.First().Groups["text"].Value)))
            .ToList();

    public IReadOnlyDictionary<string, string> Row(string description) => Assert.Single(Rows, r => r["description"] == description);

    /// <summary>The usage bar of a row: its aria values.</summary>
    public (string Now, string Text) UsageBar(string description)
    {
        var row = Assert.Single(RowPattern().Matches(html), m => m.Value.Contains($">{description}<", StringComparison.Ordinal)).Value;
        var bar = BarPattern().Match(row);
        Assert.True(bar.Success, $"No usage bar in the row of {description}");
        return (bar.Groups["now"].Value, bar.Groups["text"].Value);
    }

    /// <summary>The Start rendering anchor's opening tag.</summary>
    public string? StartRendering => StartPattern().Match(html) is { Success: true } m ? m.Value : null;

    private string? Text(string testId) =>
        Regex.Match(html, $"data-testid=\"{testId}\">(?<text>.*?)</", RegexOptions.Singleline) is { Success: true } m ? Clean(m.Groups["text"].Value) : null;

    private static string Clean(string value) => Regex.Replace(TagPattern().Replace(value, " "), "\\s+", " ").Trim();

    [GeneratedRegex("<tr data-testid=\"credit-row\".*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("<(td|span|div)[^>]*data-testid=\"(?<id>[a-z-]+)\"[^>]*>(?<text>.*?)</\\1>", RegexOptions.Singleline)]
    private static partial Regex CellPattern();

    [GeneratedRegex("role=\"progressbar\".*?aria-valuenow=\"(?<now>\\d+)\".*?aria-valuetext=\"(?<text>[^\"]*)\"", RegexOptions.Singleline)]
    private static partial Regex BarPattern();

    [GeneratedRegex("<a [^>]*data-testid=\"start-rendering\"[^>]*>")]
    private static partial Regex StartPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();
}
