using System.Globalization;
using System.Text.RegularExpressions;
using ChaosModular.Licensing.Domain;
using ChaosModular.Modules.Infrastructure.Web;

namespace ChaosModular.UnitTests.Web;

/// <summary>The server-rendered SVG bar chart: its scale, zero data, accessible name and no inline style; and the seats-in-use peaks it charts.</summary>
public sealed partial class BarChartTests
{
    private static BarChart Chart(params decimal[] values) =>
        new("test-chart", "Credits <used> per month", "Twelve months & more", "Month", ["Credits"],
            [.. values.Select((v, i) => new BarGroup($"M{i + 1}", [v]))]);

    private static string Svg(BarChart chart) => chart.Svg().ToString()!;

    private static List<(decimal Value, double Height)> Bars(string svg) =>
        [.. BarPattern().Matches(svg).Select(m => (decimal.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture)))];

    [Theory]
    [InlineData("0", "1")]
    [InlineData("1", "1")]
    [InlineData("3", "5")]
    [InlineData("7", "10")]
    [InlineData("12", "20")]
    [InlineData("122.5", "200")]
    [InlineData("0.3", "0.5")]
    [InlineData("5000", "5000")]
    public void The_axis_ends_at_the_largest_value_rounded_up_to_1_2_or_5_times_a_power_of_ten(string max, string axis) =>
        Assert.Equal(decimal.Parse(axis, CultureInfo.InvariantCulture), BarChart.NiceCeiling(decimal.Parse(max, CultureInfo.InvariantCulture)));

    [Fact]
    public void Bars_are_as_high_as_their_share_of_the_axis()
    {
        var chart = Chart(10m, 5m, 0m, 20m);

        var bars = Bars(Svg(chart));

        Assert.Equal(20m, chart.AxisMax);
        Assert.Equal([10m, 5m, 0m, 20m], bars.Select(b => b.Value));
        Assert.Equal(chart.PlotHeight, bars[3].Height);
        Assert.Equal(chart.PlotHeight / 2, bars[0].Height, 2);
        Assert.Equal(chart.PlotHeight / 4, bars[1].Height, 2);
        Assert.Equal(0, bars[2].Height);
    }

    [Fact]
    public void A_chart_of_zeros_draws_empty_bars_on_an_axis_of_one()
    {
        var chart = Chart(0m, 0m, 0m);

        var svg = Svg(chart);

        Assert.Equal(1m, chart.AxisMax);
        Assert.All(Bars(svg), b => Assert.Equal(0, b.Height));
        Assert.Equal(3, Bars(svg).Count);
        Assert.DoesNotContain("NaN", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void The_svg_is_an_image_named_by_its_title_and_described_with_the_text_encoded_and_no_style_attribute()
    {
        var svg = Svg(Chart(1m, 2m));

        Assert.StartsWith("<svg class=\"bar-chart-svg\" viewBox=\"0 0 640 220\" role=\"img\" aria-labelledby=\"test-chart-title\" aria-describedby=\"test-chart-desc\"", svg, StringComparison.Ordinal);
        Assert.Contains("<title id=\"test-chart-title\">Credits &lt;used&gt; per month</title>", svg, StringComparison.Ordinal);
        Assert.Contains("<desc id=\"test-chart-desc\">Twelve months &amp; more</desc>", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", svg, StringComparison.Ordinal);
        Assert.Contains("class=\"chart-bar chart-series-1\"", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_series_stand_side_by_side_in_each_group_and_only_every_nth_label_shows_counted_from_the_last()
    {
        var chart = new BarChart("pair", "Allocated versus seats", "Two products", "Product", ["Allocated", "Seats"],
            [new("A", [1m, 4m]), new("B", [2m, 2m]), new("C", [0m, 3m])], LabelEvery: 2);

        var svg = Svg(chart);

        Assert.Equal(3, Regex.Count(svg, "chart-series-1"));
        Assert.Equal(3, Regex.Count(svg, "chart-series-2"));
        var xs = XPattern().Matches(svg).Select(m => double.Parse(m.Groups["x"].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.True(xs[1] > xs[0] && xs[2] > xs[1], "each series' bar stands right of the one before, and the groups in order");
        Assert.Equal(["A", "C"], LabelPattern().Matches(svg).Select(m => m.Groups["l"].Value));
    }

    [Fact]
    public void Seats_in_use_per_day_are_the_days_peak_up_to_now()
    {
        static DateTime At(int day, int hour) => new(2026, 6, day, hour, 0, 0, DateTimeKind.Utc);
        HeldSeats[] held =
        [
            new(At(10, 9), At(12, 12), 2),
            new(At(11, 8), null, 1),
            new(At(13, 1), At(13, 2), 5),   // an hour at night still counts for the day
            new(At(14, 11), null, 4),       // taken after now: not yet
        ];

        var days = SeatHistory.PeakPerDay(held, new DateOnly(2026, 6, 14), 6, At(14, 10));

        Assert.Equal([(new DateOnly(2026, 6, 9), 0), (new DateOnly(2026, 6, 10), 2), (new DateOnly(2026, 6, 11), 3), (new DateOnly(2026, 6, 12), 3),
            (new DateOnly(2026, 6, 13), 6), (new DateOnly(2026, 6, 14), 1)], days);
    }

    [GeneratedRegex("<rect class=\"chart-bar[^\"]*\" x=\"[^\"]*\" y=\"[^\"]*\" width=\"[^\"]*\" height=\"(?<h>[^\"]*)\" data-value=\"(?<v>[^\"]*)\"")]
    private static partial Regex BarPattern();

    [GeneratedRegex("<rect class=\"chart-bar chart-series-\\d\" x=\"(?<x>[^\"]*)\"")]
    private static partial Regex XPattern();

    [GeneratedRegex("text-anchor=\"middle\">(?<l>[^<]*)</text>")]
    private static partial Regex LabelPattern();
}
