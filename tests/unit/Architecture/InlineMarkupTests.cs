using System.Text.RegularExpressions;

namespace ChaosModular.UnitTests.Architecture;

/// <summary>
/// The Content-Security-Policy (script-src 'self'; style-src 'self', no 'unsafe-inline') makes a browser ignore inline
/// script, event-handler attributes and style attributes: a button wired with onclick would silently do nothing. So no
/// view under src may have one; behaviour goes to wwwroot/js/site.js (data- attributes), sizes to wwwroot/css/site.css.
/// </summary>
public sealed partial class InlineMarkupTests
{
    [Fact]
    public void No_view_has_inline_script_event_handlers_or_style()
    {
        var views = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "src"), "*.cshtml", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(views.Count > 50, $"Only {views.Count} views found under src: the scan is looking in the wrong place.");

        var found = views.SelectMany(Violations).ToList();

        Assert.True(found.Count == 0, "Inline markup the Content-Security-Policy blocks:\n" + string.Join("\n", found));
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<script type=\"module\">go()</script>")]
    [InlineData("<button onclick=\"pay()\">Pay</button>")]
    [InlineData("<form onsubmit='x()'>")]
    [InlineData("<div class=\"bar\" style=\"width: 5%\"></div>")]
    [InlineData("<style>.x { color: red }</style>")]
    [InlineData("<body ONLOAD=\"x()\">")]
    [InlineData("<button type=\"submit\"\n        onclick=\"this.disabled=true\">Pay now</button>")]
    public void The_scan_finds_each_kind(string markup) => Assert.NotEmpty(Find(markup));

    [Theory]
    [InlineData("<script src=\"~/js/site.js\" asp-append-version=\"true\"></script>")]
    [InlineData("<tr data-subscription=\"@s.Id\" data-onboarding=\"1\">")]
    [InlineData("<button data-submit-once=\"Paying…\">")]
    [InlineData("<p>Based on=the plan, styles=none</p>")]
    [InlineData("<a class=\"x\" asp-page=\"/Index\">Go on</a>")]
    public void The_scan_lets_script_files_and_data_attributes_pass(string markup) => Assert.Empty(Find(markup));

    private static IEnumerable<string> Violations(string file)
    {
        var text = File.ReadAllText(file);
        return Find(text).Select(f => $"{Path.GetRelativePath(RepositoryRoot.Path, file)}:{LineOf(text, f.Index)}: {f.What}");
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    /// <summary>Over the whole text: an attribute may sit on a tag's second line.</summary>
    private static IEnumerable<(int Index, string What)> Find(string text)
    {
        foreach (Match script in ScriptTag().Matches(text))
        {
            if (!SourceAttribute().IsMatch(script.Value))
            {
                yield return (script.Index, "inline <script>");
            }
        }
        foreach (Match style in StyleElement().Matches(text))
        {
            yield return (style.Index, "<style> element");
        }
        foreach (Match attribute in StyleAttribute().Matches(text))
        {
            yield return (attribute.Index, "style attribute");
        }
        foreach (Match handler in HandlerAttribute().Matches(text))
        {
            yield return (handler.Index, $"event-handler attribute {handler.Value.Trim()}");
        }
    }

    [GeneratedRegex(@"\ssrc\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex SourceAttribute();

    [GeneratedRegex(@"<script\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"<style\b", RegexOptions.IgnoreCase)]
    private static partial Regex StyleElement();

    [GeneratedRegex(@"\sstyle\s*=\s*[""']", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex(@"\son[a-z]+\s*=\s*[""']", RegexOptions.IgnoreCase)]
    private static partial Regex HandlerAttribute();
}
