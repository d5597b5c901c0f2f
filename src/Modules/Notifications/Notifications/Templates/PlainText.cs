using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace ChaosModular.Notifications.Templates;

/// <summary>
/// The plain-text part of an email, read from its rendered HTML so a designer edits one template: headings underlined,
/// paragraphs apart, a link written "label: url" (or the url alone when it is its own label), table cells and <c>br</c>
/// on lines of their own. Markup says what else to do: <c>data-text="skip"</c> leaves an element out (the header's
/// banner), <c>data-text="footer"</c> puts a "--" line before it. The subject is the document's title.
/// </summary>
internal static partial class PlainText
{
    private static readonly string NewLine = Environment.NewLine;

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "table", "tbody", "thead", "tr", "td", "th", "ul", "ol", "li", "body", "center", "blockquote",
    };

    private static readonly HashSet<string> Ignored = new(StringComparer.OrdinalIgnoreCase) { "head", "style", "script", "title" };

    public static (string Subject, string Text) From(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var text = new Writer();
        text.Walk(document.Body!);
        text.Flush();
        return (Collapse(document.Title ?? ""), text.ToString());
    }

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private sealed class Writer
    {
        private readonly List<string> _blocks = [];
        private readonly StringBuilder _line = new();

        public void Walk(INode node)
        {
            foreach (var child in node.ChildNodes)
            {
                if (child is IText text)
                {
                    _line.Append(text.Data);
                }
                else if (child is IElement element)
                {
                    Element(element);
                }
            }
        }

        private void Element(IElement element)
        {
            var mode = element.GetAttribute("data-text");
            if (mode == "skip" || Ignored.Contains(element.LocalName))
            {
                return;
            }
            switch (element.LocalName)
            {
                case "br":
                    _line.Append('\n');
                    return;
                case "a":
                    var label = Collapse(element.TextContent);
                    var href = element.GetAttribute("href") ?? "";
                    _line.Append(label.Length == 0 || label == href ? href : $"{label}: {href}");
                    return;
                case "h1" or "h2" or "h3":
                    Flush();
                    var heading = Collapse(element.TextContent);
                    _blocks.Add(heading + NewLine + new string(element.LocalName == "h1" ? '=' : '-', heading.Length));
                    return;
            }
            if (mode == "footer")
            {
                Flush();
                _blocks.Add("--");
            }
            var block = Blocks.Contains(element.LocalName);
            if (block)
            {
                Flush();
            }
            Walk(element);
            if (block)
            {
                Flush();
            }
        }

        /// <summary>Ends the block being written: its lines with their spaces collapsed, if it has any text.</summary>
        public void Flush()
        {
            var lines = _line.ToString().Split('\n').Select(Collapse).Where(l => l.Length > 0).ToList();
            _line.Clear();
            if (lines.Count > 0)
            {
                _blocks.Add(string.Join(NewLine, lines));
            }
        }

        public override string ToString() => string.Join(NewLine + NewLine, _blocks) + NewLine;
    }
}
