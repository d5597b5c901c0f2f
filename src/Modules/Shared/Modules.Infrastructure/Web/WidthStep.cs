using System.Globalization;

namespace ChaosModular.Modules.Infrastructure.Web;

/// <summary>
/// A bar's width as a CSS class (<c>w-pct-35</c>, defined in site.css in steps of 5 %): the Content-Security-Policy
/// allows no inline <c>style</c> attribute, so a page cannot write the width itself.
/// </summary>
public static class WidthStep
{
    public static string Class(double percent) =>
        string.Create(CultureInfo.InvariantCulture, $"w-pct-{Step(percent)}");

    public static string Class(decimal percent) => Class((double)percent);

    public static string Class(int percent) => Class((double)percent);

    /// <summary>The nearest multiple of 5 in 0..100; a share above zero shows at least one step.</summary>
    public static int Step(double percent)
    {
        if (double.IsNaN(percent) || percent <= 0)
        {
            return 0;
        }
        var step = (int)Math.Round(Math.Min(percent, 100) / 5, MidpointRounding.AwayFromZero) * 5;
        return Math.Max(step, 5);
    }
}
