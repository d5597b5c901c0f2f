using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace ChaosModular.Modules.Infrastructure.Web;

/// <summary>One category on the x axis (a month, a day, a product) with a value for each series.</summary>
/// <param name="AxisLabel">A shorter label under the axis (Jan, 14); the table shows <paramref name="Label"/>.</param>
public sealed record BarGroup(string Label, IReadOnlyList<decimal> Values, string? AxisLabel = null);

/// <summary>
/// A bar chart rendered on the server as inline SVG: no script, no chart library, and no <c>style</c> attribute (the
/// Content-Security-Policy forbids them), so bars and text take their colours from classes in site.css
/// (<c>chart-series-1</c>, <c>chart-series-2</c>, ...). The SVG is an image with an accessible name and description;
/// the page shows the same numbers as a table (the shared <c>_BarChart</c> partial) for people who cannot see it.
/// </summary>
/// <param name="Id">Unique on the page: the SVG's title and description ids and the test id derive from it.</param>
/// <param name="CategoryName">The table's first column (Month, Day, Product).</param>
/// <param name="Series">One name per value of each group; two or more series stand side by side.</param>
/// <param name="LabelEvery">Only every n-th category is labelled under the axis (30 days do not fit), counted from the last.</param>
public sealed record BarChart(string Id, string Title, string Description, string CategoryName, IReadOnlyList<string> Series, IReadOnlyList<BarGroup> Groups,
    int LabelEvery = 1)
{
    public const double Width = 640, Height = 220;
    private const double Left = 44, Right = 8, Top = 12, Bottom = 26;

    public double PlotHeight => Height - Top - Bottom;

    /// <summary>The value at the top of the axis: the largest value rounded up to 1, 2 or 5 times a power of ten; 1 when every value is zero.</summary>
    public decimal AxisMax => NiceCeiling(Groups.SelectMany(g => g.Values).DefaultIfEmpty(0m).Max());

    public static decimal NiceCeiling(decimal max)
    {
        if (max <= 0)
        {
            return 1m;
        }
        var power = 1m;
        while (power * 10 <= max)
        {
            power *= 10;
        }
        while (power > max && power > 0.01m)
        {
            power /= 10;
        }
        foreach (var step in new[] { 1m, 2m, 5m, 10m })
        {
            if (step * power >= max)
            {
                return step * power;
            }
        }
        return 10m * power;
    }

    /// <summary>A bar's height in SVG units: proportional to the value on <see cref="AxisMax"/>, never negative.</summary>
    public double BarHeight(decimal value) => value <= 0 ? 0 : Math.Round((double)(value / AxisMax) * PlotHeight, 2);

    public static string Format(decimal value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    /// <summary>The exact value for data attributes, without the trailing zeros a database sum may carry (7.0 is 7).</summary>
    public static string Exact(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    public string TitleId => Id + "-title";

    public string DescriptionId => Id + "-desc";

    public IHtmlContent Svg()
    {
        var html = HtmlEncoder.Default;
        var axisMax = AxisMax;
        var plotWidth = Width - Left - Right;
        var baseline = Top + PlotHeight;
        var groupWidth = Groups.Count == 0 ? plotWidth : plotWidth / Groups.Count;
        var seriesCount = Math.Max(1, Series.Count);
        var barWidth = groupWidth * 0.8 / seriesCount;
        var every = Math.Max(1, LabelEvery);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"bar-chart-svg\" viewBox=\"0 0 {N(Width)} {N(Height)}\" role=\"img\" aria-labelledby=\"{html.Encode(TitleId)}\" aria-describedby=\"{html.Encode(DescriptionId)}\" preserveAspectRatio=\"xMidYMid meet\" focusable=\"false\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{html.Encode(TitleId)}\">{html.Encode(Title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<desc id=\"{html.Encode(DescriptionId)}\">{html.Encode(Description)}</desc>");
        foreach (var tick in new[] { 0m, axisMax / 2, axisMax })
        {
            var y = baseline - (double)(tick / axisMax) * PlotHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"chart-grid\" x1=\"{N(Left)}\" x2=\"{N(Width - Right)}\" y1=\"{N(y)}\" y2=\"{N(y)}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-axis\" x=\"{N(Left - 6)}\" y=\"{N(y + 4)}\" text-anchor=\"end\">{html.Encode(Format(tick))}</text>");
        }
        for (var g = 0; g < Groups.Count; g++)
        {
            var group = Groups[g];
            var x0 = Left + g * groupWidth + groupWidth * 0.1;
            for (var s = 0; s < group.Values.Count && s < seriesCount; s++)
            {
                var value = group.Values[s];
                var height = BarHeight(value);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"chart-bar chart-series-{s + 1}\" x=\"{N(x0 + s * barWidth)}\" y=\"{N(baseline - height)}\" width=\"{N(barWidth)}\" height=\"{N(height)}\" data-value=\"{Exact(value)}\"/>");
            }
            if ((Groups.Count - 1 - g) % every == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-axis\" x=\"{N(Left + g * groupWidth + groupWidth / 2)}\" y=\"{N(Height - 8)}\" text-anchor=\"middle\">{html.Encode(group.AxisLabel ?? group.Label)}</text>");
            }
        }
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
}
