using System.Globalization;

namespace ChaosModular.Modules.Abstractions;

/// <summary>
/// An amount in one ISO 4217 currency. Arithmetic across currencies throws; rounding is to the
/// currency's minor unit, half away from zero (the rule invoices and receipts use).
/// </summary>
public readonly record struct Money
{
    private static readonly Dictionary<string, int> MinorUnits = new(StringComparer.Ordinal)
    {
        ["EUR"] = 2, ["USD"] = 2, ["GBP"] = 2, ["CHF"] = 2, ["BGN"] = 2, ["CAD"] = 2, ["AUD"] = 2,
        ["JPY"] = 0, ["KRW"] = 0, ["BHD"] = 3, ["KWD"] = 3,
    };

    public Money(decimal amount, string currency)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            throw new ArgumentException($"'{currency}' is not an ISO 4217 currency code.", nameof(currency));
        }
        Amount = amount;
        Currency = currency;
    }

    public decimal Amount { get; }
    public string Currency { get; }

    public static int MinorUnitDigits(string currency) => MinorUnits.GetValueOrDefault(currency, 2);

    public Money Rounded() => new(Math.Round(Amount, MinorUnitDigits(Currency), MidpointRounding.AwayFromZero), Currency);

    public static Money Zero(string currency) => new(0m, currency);

    public static Money operator +(Money left, Money right) => new(left.Amount + SameCurrency(left, right).Amount, left.Currency);

    public static Money operator -(Money left, Money right) => new(left.Amount - SameCurrency(left, right).Amount, left.Currency);

    public static Money operator *(Money left, decimal factor) => new(left.Amount * factor, left.Currency);

    public Money Add(Money other) => this + other;

    public Money Subtract(Money other) => this - other;

    public Money Multiply(decimal factor) => this * factor;

    /// <summary>Sums amounts grouped by currency; the only way several currencies are totalled.</summary>
    public static IReadOnlyList<Money> TotalsPerCurrency(IEnumerable<Money> amounts) =>
        amounts.GroupBy(m => m.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Money(g.Sum(m => m.Amount), g.Key))
            .ToList();

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Amount.ToString("N" + MinorUnitDigits(Currency), CultureInfo.InvariantCulture)} {Currency}");

    private static Money SameCurrency(Money left, Money right) =>
        left.Currency == right.Currency
            ? right
            : throw new InvalidOperationException($"Cannot combine {left.Currency} with {right.Currency}.");
}
