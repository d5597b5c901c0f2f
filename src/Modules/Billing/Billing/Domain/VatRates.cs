using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace ChaosModular.Billing.Domain;

/// <summary>
/// The EU member states' standard VAT rates, each from the day it took effect: the data file <c>Data/vat-rates.json</c>
/// (embedded in this module, or <c>Billing:VatRatesFile</c>), read once at start-up. Rates change (Finland 24 % to 25.5 %
/// on 2024-09-01), so a rate is asked for a day: the invoice's issue day.
/// </summary>
internal sealed class VatRates
{
    public const string ShippedName = "vat-rates.json";
    private const string ShippedResource = "ChaosModular.Billing.Data.vat-rates.json";

    /// <summary>Per country, its rates latest first.</summary>
    private readonly FrozenDictionary<string, (DateOnly From, decimal Rate)[]> _byCountry;

    private VatRates(FrozenDictionary<string, (DateOnly From, decimal Rate)[]> byCountry) => _byCountry = byCountry;

    /// <summary>The member states: the countries with a rate.</summary>
    public IReadOnlyCollection<string> Countries => _byCountry.Keys;

    public bool IsMemberState(string country) => _byCountry.ContainsKey(country);

    /// <summary>The standard rate (percent) in effect in <paramref name="country"/> on <paramref name="day"/>.</summary>
    public decimal RateOn(string country, DateOnly day)
    {
        if (!_byCountry.TryGetValue(country, out var rates))
        {
            throw new ArgumentException($"{country} is not an EU member state: it has no VAT rate.", nameof(country));
        }
        foreach (var (from, rate) in rates)
        {
            if (from <= day)
            {
                return rate;
            }
        }
        throw new InvalidOperationException($"The VAT rates give {country} no rate on {day:yyyy-MM-dd}: its first is from {rates[^1].From:yyyy-MM-dd}.");
    }

    /// <summary>The file at <paramref name="path"/>, or the one shipped in this module when it is empty.</summary>
    public static VatRates Load(string? path)
    {
        if (!string.IsNullOrWhiteSpace(path))
        {
            if (!File.Exists(path))
            {
                throw new InvalidDataException($"Billing:VatRatesFile '{path}' does not exist.");
            }
            return Parse(File.ReadAllText(path), path);
        }
        using var stream = typeof(VatRates).Assembly.GetManifestResourceStream(ShippedResource)
            ?? throw new InvalidOperationException($"{ShippedResource} is not embedded in the Billing module.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), ShippedName);
    }

    private sealed record Entry(string? Country, decimal? Rate, string? From);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>
    /// A JSON array of <c>{ "country": "FI", "rate": 25.5, "from": "2024-09-01" }</c>. Anything wrong with it (not JSON, an entry
    /// without a field, a country that is not two capital letters, a rate outside 0-100, two rates of one country from the same
    /// day) throws <see cref="InvalidDataException"/> naming <paramref name="source"/> and the entry.
    /// </summary>
    public static VatRates Parse(string json, string source)
    {
        List<Entry?>? entries;
        try
        {
            entries = JsonSerializer.Deserialize<List<Entry?>>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"VAT rates {source} is not a JSON array of {{ country, rate, from }}: {ex.Message}", ex);
        }
        if (entries is null || entries.Count == 0)
        {
            throw new InvalidDataException($"VAT rates {source} has no rates.");
        }
        var problems = new List<string>();
        var rates = new List<(string Country, DateOnly From, decimal Rate)>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var at = $"entry {i + 1}";
            if (entry?.Country is not { Length: 2 } country || !country.All(char.IsAsciiLetterUpper))
            {
                problems.Add($"{at}: country '{entry?.Country}' is not a two-letter ISO code in capitals.");
                continue;
            }
            at += $" ({country})";
            if (entry.Rate is not { } rate || rate < 0 || rate > 100)
            {
                problems.Add($"{at}: rate '{entry.Rate?.ToString(CultureInfo.InvariantCulture)}' must be a percentage from 0 to 100.");
                continue;
            }
            if (!DateOnly.TryParseExact(entry.From, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from))
            {
                problems.Add($"{at}: from '{entry.From}' must be the day the rate took effect, as yyyy-MM-dd.");
                continue;
            }
            rates.Add((country, from, rate));
        }
        foreach (var twice in rates.GroupBy(r => (r.Country, r.From)).Where(g => g.Count() > 1))
        {
            problems.Add($"{twice.Key.Country} has {twice.Count()} rates from {twice.Key.From:yyyy-MM-dd} ({string.Join(" and ", twice.Select(r => r.Rate.ToString(CultureInfo.InvariantCulture)))}); one rate applies on a day.");
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"VAT rates {source}: {string.Join(" ", problems)}");
        }
        return new VatRates(rates.GroupBy(r => r.Country, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(r => r.From).Select(r => (r.From, r.Rate)).ToArray(), StringComparer.Ordinal));
    }
}
