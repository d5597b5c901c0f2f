using ChaosModular.Catalog.Contracts;
using ChaosModular.Catalog.Data;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Subscriptions.Domain;

namespace ChaosModular.UnitTests.Subscriptions;

/// <summary>
/// Proration where the arithmetic is easiest to get wrong: an exact half cent, a leap-year term, an upgrade to a
/// cheaper price, and every currency the catalog sells. The common cases are in <see cref="SubscriptionRulesTests"/>.
/// </summary>
public sealed class ProrationEdgeCaseTests
{
    // April 2026: a 30-day monthly term; on the 16th, 15 days are left.
    private static readonly DateOnly AprilStart = new(2026, 4, 1);
    private static readonly DateOnly MayRenewal = new(2026, 5, 1);
    private static readonly DateOnly HalfwayThroughApril = new(2026, 4, 16);

    [Fact]
    public void Added_seats_landing_on_half_a_cent_round_away_from_zero()
    {
        // 49.93 x 15 / 30 = 24.965 exactly: the README's rule (half away from zero) says 24.97; banker's rounding would say 24.96.
        var price = Proration.ForAddedSeats(1, new Money(49.93m, "EUR"), HalfwayThroughApril, AprilStart, MayRenewal);

        Assert.Equal(new Money(24.97m, "EUR"), price);
    }

    [Fact]
    public void An_upgrade_landing_on_half_a_cent_rounds_away_from_zero()
    {
        // (69.93 - 20.00) x 15 / 30 = 24.965 -> 24.97
        var price = Proration.ForUpgrade(1, new Money(20m, "USD"), 1, new Money(69.93m, "USD"), HalfwayThroughApril, AprilStart, MayRenewal);

        Assert.Equal(new Money(24.97m, "USD"), price);
    }

    [Theory]
    [InlineData("2028-01-01", "699.00")]   // the first day of a 366-day term: the whole price, not 699 x 366 / 365
    [InlineData("2028-07-02", "349.50")]   // 183 of 366 days left: exactly half (a 365-day divisor gives 350.46)
    [InlineData("2028-03-01", "584.41")]   // after the leap day, 306 left: 699 x 306 / 366 = 584.4098... (365 days: 586.01)
    [InlineData("2028-12-31", "1.91")]     // one day left: 699 / 366 = 1.9098... (365 days: 1.92)
    public void A_leap_year_term_is_prorated_over_its_366_days(string today, string expected)
    {
        var subscription = Subscription.Start(Guid.NewGuid(), "c1", "vray-premium-annual", "vray-premium", "vray", Term.Annual, new Money(699m, "EUR"), 1, D("2028-01-01"));
        Assert.Equal(366, subscription.RenewsOn.DayNumber - subscription.PeriodStart.DayNumber);

        var price = subscription.PriceForAddedSeats(1, D(today));

        Assert.Equal(new Money(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), "EUR"), price);
    }

    [Fact]
    public void An_upgrade_to_a_lower_price_than_was_paid_costs_nothing_rather_than_paying_back()
    {
        // Three seats bought at 699 moved to a plan now sold at 650: (3 x 650 - 3 x 699) x 15 / 30 = -73.50, clamped to 0.
        var price = Proration.ForUpgrade(3, new Money(699m, "EUR"), 3, new Money(650m, "EUR"), HalfwayThroughApril, AprilStart, MayRenewal);

        Assert.Equal(Money.Zero("EUR"), price);
        // One more seat outweighs the difference: (4 x 650 - 3 x 699) x 15 / 30 = 251.50.
        Assert.Equal(new Money(251.50m, "EUR"), Proration.ForUpgrade(3, new Money(699m, "EUR"), 4, new Money(650m, "EUR"), HalfwayThroughApril, AprilStart, MayRenewal));
    }

    public static TheoryData<string> CatalogCurrencies() => [.. ShippedCatalog.Products.SelectMany(p => p.Plans).SelectMany(p => p.Prices.Keys).Distinct().Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(CatalogCurrencies))]
    public void Every_plan_sold_in_a_currency_prorates_in_that_currency_to_its_minor_unit(string currency)
    {
        var digits = Money.MinorUnitDigits(currency);
        var fraction = digits > 0 ? $@"\.\d{{{digits}}}" : "";
        var plans = ShippedCatalog.Products.SelectMany(p => p.Plans.Select(plan => (Product: p, Plan: plan))).Where(x => x.Plan.Prices.ContainsKey(currency)).ToList();
        Assert.NotEmpty(plans);
        foreach (var (product, plan) in plans)
        {
            var price = new Money(plan.Prices[currency], currency);
            var subscription = Subscription.Start(Guid.NewGuid(), "c1", plan.Code, product.Code, product.Family, plan.Term.ToTerm(), price, 3, AprilStart);
            var termDays = subscription.RenewsOn.DayNumber - subscription.PeriodStart.DayNumber;

            var prorated = subscription.PriceForAddedSeats(2, AprilStart.AddDays(termDays / 3));

            Assert.Equal(currency, prorated.Currency);
            Assert.Equal(decimal.Round(prorated.Amount, digits), prorated.Amount);
            Assert.InRange(prorated.Amount, 0.01m, 2 * price.Amount);
            Assert.Equal(Math.Round(2 * price.Amount * (termDays - termDays / 3) / termDays, digits, MidpointRounding.AwayFromZero), prorated.Amount);
            Assert.Matches($@"^\d{{1,3}}(,\d{{3}})*{fraction} {currency}$", prorated.ToString());   // shown with the currency's decimals
        }
    }

    [Theory]
    [MemberData(nameof(CatalogCurrencies))]
    public void Every_upgrade_path_is_priced_in_the_currency_of_the_subscription(string currency)
    {
        var products = ShippedCatalog.Products.ToDictionary(p => p.Code, StringComparer.Ordinal);
        var priced = 0;
        foreach (var upgrade in ShippedCatalog.Upgrades)
        {
            foreach (var from in products[upgrade.From].Plans.Where(p => p.Prices.ContainsKey(currency)))
            {
                // The target plan of the same term (the catalog offers upgrades within a term only) sells in the same currency.
                if (products[upgrade.To].Plans.SingleOrDefault(p => p.Term == from.Term) is not { } to)
                {
                    continue;
                }
                Assert.True(to.Prices.ContainsKey(currency), $"{to.Code} has no {currency} price, so {from.Code} in {currency} cannot be upgraded.");
                var price = Proration.ForUpgrade(2, new Money(from.Prices[currency], currency), 3, new Money(to.Prices[currency], currency), HalfwayThroughApril, AprilStart, MayRenewal);

                Assert.Equal(currency, price.Currency);
                Assert.InRange(price.Amount, 0.01m, 3 * to.Prices[currency]);
                Assert.Equal(decimal.Round(price.Amount, Money.MinorUnitDigits(currency)), price.Amount);
                priced++;
            }
        }
        Assert.True(priced >= ShippedCatalog.Upgrades.Count, $"Only {priced} upgrades priced in {currency}.");
    }

    private static CatalogFile ShippedCatalog { get; } =
        CatalogFile.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src/Modules/Catalog/Catalog/Data/catalog.json")));

    private static DateOnly D(string value) => DateOnly.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
}
