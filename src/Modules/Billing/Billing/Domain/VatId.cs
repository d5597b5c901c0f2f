using System.Text.RegularExpressions;

namespace ChaosModular.Billing.Domain;

/// <summary>
/// EU VAT identification numbers: the country prefix (Greece uses EL, Northern Ireland XI) and the
/// national format. Spaces, dots and dashes are ignored. Outside the EU the ID is the customer's
/// local tax number and only its characters are checked.
/// </summary>
internal static partial class VatId
{
    private static readonly Dictionary<string, (string Prefix, Regex Format, string Example)> Eu = new(StringComparer.Ordinal)
    {
        ["AT"] = ("ATU", new(@"^ATU\d{8}$"), "ATU12345678"),
        ["BE"] = ("BE", new(@"^BE[01]\d{9}$"), "BE0123456789"),
        ["BG"] = ("BG", new(@"^BG\d{9,10}$"), "BG123456789"),
        ["CY"] = ("CY", new(@"^CY\d{8}[A-Z]$"), "CY12345678X"),
        ["CZ"] = ("CZ", new(@"^CZ\d{8,10}$"), "CZ12345678"),
        ["DE"] = ("DE", new(@"^DE\d{9}$"), "DE123456789"),
        ["DK"] = ("DK", new(@"^DK\d{8}$"), "DK12345678"),
        ["EE"] = ("EE", new(@"^EE\d{9}$"), "EE123456789"),
        ["GR"] = ("EL", new(@"^EL\d{9}$"), "EL123456789"),
        ["ES"] = ("ES", new(@"^ES[A-Z0-9]\d{7}[A-Z0-9]$"), "ESX1234567X"),
        ["FI"] = ("FI", new(@"^FI\d{8}$"), "FI12345678"),
        ["FR"] = ("FR", new(@"^FR[A-HJ-NP-Z0-9]{2}\d{9}$"), "FR12345678901"),
        ["HR"] = ("HR", new(@"^HR\d{11}$"), "HR12345678901"),
        ["HU"] = ("HU", new(@"^HU\d{8}$"), "HU12345678"),
        ["IE"] = ("IE", new(@"^IE(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$"), "IE1234567T"),
        ["IT"] = ("IT", new(@"^IT\d{11}$"), "IT12345678901"),
        ["LT"] = ("LT", new(@"^LT(\d{9}|\d{12})$"), "LT123456789"),
        ["LU"] = ("LU", new(@"^LU\d{8}$"), "LU12345678"),
        ["LV"] = ("LV", new(@"^LV\d{11}$"), "LV12345678901"),
        ["MT"] = ("MT", new(@"^MT\d{8}$"), "MT12345678"),
        ["NL"] = ("NL", new(@"^NL\d{9}B\d{2}$"), "NL123456789B01"),
        ["PL"] = ("PL", new(@"^PL\d{10}$"), "PL1234567890"),
        ["PT"] = ("PT", new(@"^PT\d{9}$"), "PT123456789"),
        ["RO"] = ("RO", new(@"^RO\d{2,10}$"), "RO1234567890"),
        ["SE"] = ("SE", new(@"^SE\d{10}01$"), "SE123456789001"),
        ["SI"] = ("SI", new(@"^SI\d{8}$"), "SI12345678"),
        ["SK"] = ("SK", new(@"^SK\d{10}$"), "SK1234567890"),
    };

    public static bool IsEuCountry(string country) => Eu.ContainsKey(country);

    public static string Normalize(string vatId) => Separators().Replace(vatId, "").ToUpperInvariant();

    /// <summary>Null when valid (or empty); otherwise the message to show next to the field.</summary>
    public static string? Validate(string? vatId, string country)
    {
        if (string.IsNullOrWhiteSpace(vatId))
        {
            return null;
        }
        var normalized = Normalize(vatId);
        if (Eu.TryGetValue(country, out var rule))
        {
            if (!normalized.StartsWith(rule.Prefix, StringComparison.Ordinal))
            {
                return $"A VAT ID for this country starts with {rule.Prefix} (for example {rule.Example}).";
            }
            return rule.Format.IsMatch(normalized)
                ? null
                : $"This is not a valid {rule.Prefix} VAT ID. Expected a format like {rule.Example}.";
        }
        return LocalTaxNumber().IsMatch(normalized)
            ? null
            : "A tax ID has 4 to 20 letters and digits.";
    }

    [GeneratedRegex(@"[\s.\-]")]
    private static partial Regex Separators();

    [GeneratedRegex(@"^[A-Z0-9]{4,20}$")]
    private static partial Regex LocalTaxNumber();
}
