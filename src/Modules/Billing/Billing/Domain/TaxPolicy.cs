namespace ChaosModular.Billing.Domain;

/// <summary>
/// VAT on an invoice, decided from the seller's country and the billing information at issue:
/// same country as the seller: that country's rate; another EU country with a VAT ID: reverse
/// charge (0 %, the customer accounts for VAT); another EU country without one: the customer
/// country's rate; outside the EU: no VAT.
/// </summary>
internal static class TaxPolicy
{
    private static readonly Dictionary<string, decimal> EuStandardRates = new(StringComparer.Ordinal)
    {
        ["AT"] = 20m, ["BE"] = 21m, ["BG"] = 20m, ["CY"] = 19m, ["CZ"] = 21m, ["DE"] = 19m, ["DK"] = 25m,
        ["EE"] = 24m, ["GR"] = 24m, ["ES"] = 21m, ["FI"] = 25.5m, ["FR"] = 20m, ["HR"] = 25m, ["HU"] = 27m,
        ["IE"] = 23m, ["IT"] = 22m, ["LT"] = 21m, ["LU"] = 17m, ["LV"] = 21m, ["MT"] = 18m, ["NL"] = 21m,
        ["PL"] = 23m, ["PT"] = 23m, ["RO"] = 21m, ["SE"] = 25m, ["SI"] = 22m, ["SK"] = 23m,
    };

    public sealed record Decision(decimal RatePercent, string Note);

    public static Decision For(string sellerCountry, string customerCountry, string? customerVatId)
    {
        if (customerCountry == sellerCountry && EuStandardRates.TryGetValue(customerCountry, out var domestic))
        {
            return new Decision(domestic, $"VAT {domestic:0.##} %");
        }
        if (EuStandardRates.TryGetValue(customerCountry, out var rate))
        {
            return string.IsNullOrWhiteSpace(customerVatId)
                ? new Decision(rate, $"VAT {rate:0.##} % ({customerCountry})")
                : new Decision(0m, "Reverse charge: VAT to be accounted for by the recipient");
        }
        return new Decision(0m, "Outside the scope of EU VAT");
    }
}
