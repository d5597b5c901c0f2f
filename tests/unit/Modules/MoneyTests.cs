using ChaosModular.Modules.Abstractions;

namespace ChaosModular.UnitTests.Modules;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("10.005", "EUR", "10.01")]   // half away from zero, not banker's rounding
    [InlineData("10.015", "EUR", "10.02")]
    [InlineData("-10.005", "USD", "-10.01")]
    [InlineData("10.004", "GBP", "10.00")]
    [InlineData("1234.5", "JPY", "1235")]    // no minor unit
    [InlineData("1.0005", "KWD", "1.001")]   // three decimals
    public void Rounds_to_the_currency_minor_unit_half_away_from_zero(string amount, string currency, string expected)
    {
        var rounded = new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency).Rounded();

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), rounded.Amount);
        Assert.Equal(currency, rounded.Currency);
    }

    [Fact]
    public void Amounts_in_different_currencies_are_never_added()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new Money(1m, "EUR") + new Money(1m, "USD"));
        Assert.Equal("Cannot combine EUR with USD.", error.Message);
        Assert.Equal(new Money(3.5m, "EUR"), new Money(1m, "EUR") + new Money(2.5m, "EUR"));
    }

    [Fact]
    public void Totals_are_per_currency()
    {
        var totals = Money.TotalsPerCurrency([new(10m, "USD"), new(5m, "EUR"), new(2.5m, "USD")]);

        Assert.Equal([new Money(5m, "EUR"), new Money(12.5m, "USD")], totals);
    }

    [Theory]
    [InlineData("eur")]
    [InlineData("EURO")]
    [InlineData("")]
    public void The_currency_must_be_an_iso_code(string currency) =>
        Assert.ThrowsAny<ArgumentException>(() => new Money(1m, currency));
}
