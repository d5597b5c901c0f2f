
namespace ChaosModular.CloudCredits.Domain;

/// <summary>
/// The amounts people type and services send: more than zero, at most two decimals (what the pages show), and
/// below a bound that keeps sums far from the columns' precision.
/// </summary>
internal static class CreditAmount
{
    public const decimal Max = 100_000_000m;

    /// <summary>Why the amount is not one, or null when it is.</summary>
    public static string? Problem(decimal amount) =>
        amount <= 0m ? "must be more than 0"
        : amount > Max ? $"must be at most {CreditUnits.Format(Max)}"
        : decimal.Round(amount, 2) != amount ? "can have at most 2 decimals"
        : null;

    public static void EnsureValid(decimal? amount)
    {
        if (amount is { } a && Problem(a) is { } problem)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), a, $"Credits {problem}.");
        }
    }
}
