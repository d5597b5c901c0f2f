using System.Globalization;

namespace ChaosModular.CloudCredits.Domain;

/// <summary>Credits are counted, not priced: thousands separated, fractions only when there are some.</summary>
internal static class CreditUnits
{
    public static string Format(decimal credits) => credits.ToString("#,0.##", CultureInfo.InvariantCulture);

    /// <summary>The used share of a grant in whole percent, rounded down so a bar shows full only when nothing is left.</summary>
    public static int PercentUsed(decimal used, decimal amount) =>
        amount <= 0 ? 0 : (int)Math.Clamp(Math.Floor(used / amount * 100m), 0m, 100m);
}
