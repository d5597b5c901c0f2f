using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Domain;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Billing;

/// <summary>The VAT rates file shipped with Billing (Data/vat-rates.json): rates by day, every member state, and a bad file refused.</summary>
public sealed class VatRatesTests
{
    private static readonly VatRates Shipped = VatRates.Load(null);

    private static readonly string[] MemberStates =
        ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"];

    [Theory]
    [InlineData("FI", "2024-08-31", 24)]
    [InlineData("FI", "2024-09-01", 25.5)]
    [InlineData("FI", "2026-12-01", 25.5)]
    [InlineData("EE", "2025-06-30", 22)]
    [InlineData("EE", "2025-07-01", 24)]
    [InlineData("SK", "2024-12-31", 20)]
    [InlineData("SK", "2025-01-01", 23)]
    [InlineData("RO", "2025-07-31", 19)]
    [InlineData("RO", "2025-08-01", 21)]
    [InlineData("DE", "2026-12-01", 19)]
    [InlineData("GR", "2026-12-01", 24)]
    [InlineData("HU", "2026-12-01", 27)]
    public void A_rate_applies_from_the_day_it_took_effect(string country, string day, decimal rate) =>
        Assert.Equal(rate, Shipped.RateOn(country, DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Every_eu_member_state_has_a_rate_since_2021_and_vat_ids_know_the_same_states()
    {
        Assert.Equal(MemberStates, Shipped.Countries.Order(StringComparer.Ordinal));
        Assert.All(MemberStates, country =>
        {
            Assert.InRange(Shipped.RateOn(country, new DateOnly(2021, 1, 1)), 15m, 30m);
            Assert.InRange(Shipped.RateOn(country, new DateOnly(2026, 12, 1)), 15m, 30m);
            Assert.True(VatId.IsEuCountry(country), $"{country} has a VAT rate but VatId does not know its VAT IDs");
        });
        Assert.False(Shipped.IsMemberState("GB"));
        Assert.False(Shipped.IsMemberState("EL"));   // Greece is GR; EL is only its VAT ID prefix
    }

    [Theory]
    [InlineData("""[{ "country": "FI", "rate": 24, "from": "2021-01-01" }""", "VAT rates test.json is not a JSON array of { country, rate, from }")]
    [InlineData("[]", "VAT rates test.json has no rates.")]
    [InlineData("""[{ "country": "FI", "rate": 24, "from": "2021-01-01" }, { "country": "FI", "rate": 25.5, "from": "2021-01-01" }]""",
        "VAT rates test.json: FI has 2 rates from 2021-01-01 (24 and 25.5); one rate applies on a day.")]
    [InlineData("""[{ "country": "Finland", "rate": 24, "from": "2021-01-01" }]""", "entry 1: country 'Finland' is not a two-letter ISO code in capitals.")]
    [InlineData("""[{ "country": "DE", "rate": 19, "from": "2021-01-01" }, { "country": "FI", "rate": 240, "from": "2021-01-01" }]""",
        "entry 2 (FI): rate '240' must be a percentage from 0 to 100.")]
    [InlineData("""[{ "country": "FI", "rate": 24, "from": "01.09.2024" }]""", "entry 1 (FI): from '01.09.2024' must be the day the rate took effect, as yyyy-MM-dd.")]
    [InlineData("""[{ "country": "FI", "rate": 24 }]""", "entry 1 (FI): from '' must be the day the rate took effect")]
    public void A_bad_rates_file_is_refused_naming_the_problem(string json, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => VatRates.Parse(json, "test.json"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_rates_file_stops_start_up()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vat-rates-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """[{ "country": "FI", "rate": 24, "from": "2024-09-01" }, { "country": "FI", "rate": 25.5, "from": "2024-09-01" }]""");
        try
        {
            using var factory = new SqlitePortalFactory();
            factory.With("Billing:VatRatesFile", path);

            var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

            var refused = Enumerable.Repeat(error, 1).Concat(Inner(error)).OfType<InvalidDataException>().FirstOrDefault();
            Assert.True(refused is not null, error.ToString());
            Assert.Contains($"VAT rates {path}: FI has 2 rates from 2024-09-01", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// A Finnish consumer invoiced on 2024-08-31 pays 24 %; time moves past the change: the next invoice has 25.5 %, and the first
    /// one, stored and downloaded again, still shows 24 %.
    /// </summary>
    [Fact]
    public async Task An_invoice_issued_before_a_rate_change_keeps_its_rate()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 8, 31, 15, 0, 0, TimeSpan.Zero));
        await using var factory = new SqlitePortalFactory { Clock = clock };
        var customer = await BillingCustomer.SignUpAsync(factory, "FI", null, card: null);
        var line = new CreateInvoiceLine("Corona Solo annual", 1, 100m, null, null, "corona-solo");

        var before = await BillingScope.WithApi(factory, api => api.CreateInvoiceAsync(new CreateInvoice(customer.UserId, "EUR", [line]), CancellationToken.None));
        clock.SetUtcNow(new DateTimeOffset(2024, 9, 2, 9, 0, 0, TimeSpan.Zero));
        var after = await BillingScope.WithApi(factory, api => api.CreateInvoiceAsync(new CreateInvoice(customer.UserId, "EUR", [line]), CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await customer.Client.SignInAsync(customer.Email, customer.Password)).StatusCode);   // days later: signed out since
        var stored = await BillingScope.Stored(factory, before.InvoiceId);
        Assert.Equal((24m, 24m, 124m), (stored.TaxRatePercent, stored.Tax, stored.Total));
        Assert.Equal((124m, 125.5m), (before.Total.Amount, after.Total.Amount));
        var beforePdf = await VatEndToEndTests.PdfLinesAsync(customer, before.InvoiceId);
        Assert.Contains("VAT 24 % (FI) 24.00", beforePdf);
        Assert.Contains("Total (EUR) 124.00", beforePdf);
        Assert.Contains("VAT 25.5 % (FI) 25.50", await VatEndToEndTests.PdfLinesAsync(customer, after.InvoiceId));
    }

    private static IEnumerable<Exception> Inner(Exception error)
    {
        for (var e = error.InnerException; e is not null; e = e.InnerException)
        {
            yield return e;
        }
        if (error is AggregateException aggregate)
        {
            foreach (var inner in aggregate.InnerExceptions.SelectMany(i => Inner(i).Prepend(i)))
            {
                yield return inner;
            }
        }
    }
}
