using System.Runtime.CompilerServices;
using ChaosModular.E2E.Harness;
using ChaosModular.E2E.Pages;
using ChaosModular.E2E.Seeding;

namespace ChaosModular.E2E.Journeys;

/// <summary>
/// Prices a customer can check by hand: the portal's clock stands on 16 March of a year whose terms here contain no
/// 29 February (<see cref="FixedDay"/>), each subscription starts on a given date, so every prorated price is a known
/// amount written below with its arithmetic, not recomputed from dates on the page with the production formula.
/// Runs in the portal whose clock can move (<see cref="RenewalsPortalFixture"/>); each journey sets the day it needs.
/// </summary>
public sealed class ProrationJourney(RenewalsPortalFixture portal, ITestOutputHelper output) : RenewalsPortalTest(portal, output)
{
    /// <summary>
    /// 16 March of the first year after this one that follows a leap year: that year and the next have 365 days, and
    /// the previous year's 29 February lies before any term used here. Always ahead of the real date (browser cookies
    /// set by the portal's clock stay valid in the browser's).
    /// </summary>
    private static DateOnly FixedDay
    {
        get
        {
            var year = DateTime.UtcNow.Year + 1;
            while (!DateTime.IsLeapYear(year - 1) || DateTime.IsLeapYear(year) || DateTime.IsLeapYear(year + 1))
            {
                year++;
            }
            return new DateOnly(year, 3, 16);
        }
    }

    private Task FixedDayJourneyAsync(Func<IPage, Task> journey, [CallerMemberName] string name = "") => JourneyAsync(async page =>
    {
        Portal.MoveClockToDate(FixedDay);
        await journey(page);
    }, name);

    [Fact]
    public Task Adds_seats_at_the_prorated_price_and_the_paid_invoice_shows_that_amount() => FixedDayJourneyAsync(async page =>
    {
        var year = FixedDay.Year;
        // Monthly since 1 January: this term is 1 March – 31 March (31 days), 16 of them left on 16 March.
        var products = await ProductsJourney.SignInAsync(page, await SeedAsync(ProductsJourney.Paying()
            .WithSubscriptionActivatedOn(new DateOnly(year, 1, 1), "corona-solo-monthly", "EUR")));
        var offering = await products.OpenAsync("Corona Solo");
        await Expect(offering.Plan).ToHaveTextAsync("Monthly, 49.90 EUR per seat");
        await Expect(offering.Seats).ToHaveTextAsync("1");
        Assert.Equal(new DateOnly(year, 3, 1), await offering.ReadPeriodStartAsync());
        var renewsOn = await offering.ReadRenewsOnAsync();
        Assert.Equal(new DateOnly(year, 4, 1), renewsOn);
        const string oneSeat = "25.75 EUR";   // 49.90 × 16/31 = 25.7548…
        const string twoSeats = "51.51 EUR";  // 99.80 × 16/31 = 51.5096…

        var addSeats = await offering.OpenAddSeatsAsync();
        await Expect(addSeats.SeatsInput).ToHaveValueAsync("1");
        await Expect(addSeats.ProratedPrice).ToHaveTextAsync(oneSeat);
        await addSeats.QuoteAsync(2);
        await Expect(addSeats.ProratedPrice).ToHaveTextAsync(twoSeats);
        await Expect(addSeats.PaymentMethod).ToContainTextAsync("Charged to your Visa •••• 4242.");
        await Expect(addSeats.ConfirmButton).ToHaveTextAsync($"Add 2 seat(s) and pay {twoSeats}");

        offering = await addSeats.ConfirmAsync();
        await Expect(offering.Flash).ToContainTextAsync($"2 seat(s) added. Paid {twoSeats} with invoice INV-");
        var invoice = ProductsJourney.InvoiceNumberIn(await offering.Flash.InnerTextAsync());
        await Expect(offering.Seats).ToHaveTextAsync("3");
        await Expect(offering.RenewsOn).ToHaveTextAsync(Dates.Format(renewsOn));
        await Expect(offering.Order("2 added seat(s)")).ToHaveCountAsync(1);
        await Expect(offering.Order("2 added seat(s)")).ToContainTextAsync(invoice);
        await Expect(offering.Order("2 added seat(s)")).ToContainTextAsync("Done");

        products = await ActiveProductsPage.OpenAsync(page);
        await Expect(products.RowOf(offering.SubscriptionId).Seats).ToHaveTextAsync("3");

        // Reverse charge (a German business with a VAT ID, a Bulgarian seller): the invoice total is the prorated price.
        var invoices = await InvoicesPage.OpenAsync(page);
        await Expect(invoices.Row(invoice).Status).ToHaveTextAsync("Paid");
        await Expect(invoices.Row(invoice).Amount).ToHaveTextAsync(twoSeats);
        await Expect(invoices.Row(invoice).PayLink).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Upgrades_V_Ray_Solo_to_Premium_and_Premium_to_Enterprise_which_has_no_upgrade() => FixedDayJourneyAsync(async page =>
    {
        var year = FixedDay.Year;
        // V-Ray Solo since 1 March: 350 of its 365 days left. V-Ray Premium since 5 April last year: 20 of 365 left.
        var products = await ProductsJourney.SignInAsync(page, await SeedAsync(ProductsJourney.Paying()
            .WithSubscriptionActivatedOn(new DateOnly(year, 3, 1), "vray-solo-annual", "USD", seats: 2)
            .WithSubscriptionActivatedOn(new DateOnly(year - 1, 4, 5), "vray-premium-annual", "EUR", seats: 3)));

        // V-Ray Solo (annual, USD, 2 seats) → V-Ray Premium: the difference for the rest of the term.
        await products.FilterAsync(family: "V-Ray", currency: "USD");
        var offering = await products.OpenOnlyRowAsync();
        await Expect(offering.ProductTitle).ToHaveTextAsync("V-Ray Solo");
        await Expect(offering.Seats).ToHaveTextAsync("2");
        var renewsOn = await offering.ReadRenewsOnAsync();
        Assert.Equal(new DateOnly(year + 1, 3, 1), renewsOn);
        var difference = "439.18 USD";  // 2 × (699 − 470) × 350/365 = 439.178…

        var upgrade = await offering.OpenUpgradeAsync();
        await Expect(upgrade.TargetChoice.Locator("option:checked")).ToHaveTextAsync("V-Ray Premium (699.00 USD per seat per year)");
        await Expect(upgrade.SeatsInput).ToHaveValueAsync("2");
        await Expect(upgrade.Target).ToHaveTextAsync("2 × V-Ray Premium at 699.00 USD");
        await Expect(upgrade.ProratedPrice).ToHaveTextAsync(difference);
        await Expect(upgrade.PaymentMethod).ToContainTextAsync("Charged to your Visa •••• 4242.");
        await Expect(upgrade.ConfirmButton).ToHaveTextAsync($"Upgrade and pay {difference}");
        offering = await upgrade.ConfirmAsync();
        await Expect(offering.Flash).ToContainTextAsync($"Paid {difference} with invoice INV-");
        await Expect(offering.ProductTitle).ToHaveTextAsync("V-Ray Premium");
        await Expect(offering.Plan).ToHaveTextAsync("Annual, 699.00 USD per seat");
        await Expect(offering.Seats).ToHaveTextAsync("2");
        await Expect(offering.RenewsOn).ToHaveTextAsync(Dates.Format(renewsOn));
        await Expect(offering.Order("Upgrade, 2 seat(s)")).ToContainTextAsync("Done");
        products = await ActiveProductsPage.OpenAsync(page);
        await Expect(products.RowOf(offering.SubscriptionId).ProductName).ToHaveTextAsync("V-Ray Premium");

        // V-Ray Premium (annual, EUR, 3 seats, renewing within 30 days) → V-Ray Enterprise, the top of the line.
        await products.FilterAsync(family: "V-Ray", currency: "EUR", to: FixedDay.AddDays(30));
        offering = await products.OpenOnlyRowAsync();
        await Expect(offering.ProductTitle).ToHaveTextAsync("V-Ray Premium");
        await Expect(offering.Seats).ToHaveTextAsync("3");
        Assert.Equal(new DateOnly(year, 4, 5), await offering.ReadRenewsOnAsync());
        difference = "28.77 EUR";  // 3 × (874 − 699) × 20/365 = 28.767…
        upgrade = await offering.OpenUpgradeAsync();
        await Expect(upgrade.Target).ToHaveTextAsync("3 × V-Ray Enterprise at 874.00 EUR");
        await Expect(upgrade.ProratedPrice).ToHaveTextAsync(difference);
        offering = await upgrade.ConfirmAsync();
        await Expect(offering.Flash).ToContainTextAsync($"Paid {difference} with invoice INV-");
        await Expect(offering.ProductTitle).ToHaveTextAsync("V-Ray Enterprise");
        await Expect(offering.Plan).ToHaveTextAsync("Annual, 874.00 EUR per seat");

        // Enterprise has nowhere to go: no Upgrade button (seats can still be added), and the address refuses.
        await Expect(offering.AddSeatsLink).ToBeVisibleAsync();
        await Expect(offering.UpgradeLink).ToHaveCountAsync(0);
        upgrade = await UpgradePage.OpenAsync(page, offering.SubscriptionId);
        await Expect(upgrade.Problem).ToHaveTextAsync("V-Ray Enterprise has no upgrade.");
        await Expect(upgrade.TargetChoice).ToHaveCountAsync(0);
        await Expect(upgrade.ConfirmButton).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Upgrades_2_of_5_V_Ray_Solo_seats_to_Premium_and_sees_two_rows_renewing_on_the_same_day() => FixedDayJourneyAsync(async page =>
    {
        var year = FixedDay.Year;
        var products = await ProductsJourney.SignInAsync(page, await SeedAsync(ProductsJourney.Paying()
            .WithSubscriptionActivatedOn(new DateOnly(year, 3, 1), "vray-solo-annual", "USD", seats: 5)));
        var offering = await products.OpenOnlyRowAsync();
        await Expect(offering.Seats).ToHaveTextAsync("5");
        var renewsOn = await offering.ReadRenewsOnAsync();
        Assert.Equal(new DateOnly(year + 1, 3, 1), renewsOn);
        const string difference = "439.18 USD";  // the 2 upgraded seats: 2 × (699 − 470) × 350/365 = 439.178…

        // The guide's "quantity of the product you would like to be upgraded": 2 of the 5 seats, priced for those 2.
        var upgrade = await offering.OpenUpgradeAsync();
        await upgrade.ChooseSeatsAsync(2);
        await Expect(upgrade.Target).ToHaveTextAsync("2 × V-Ray Premium at 699.00 USD");
        await Expect(upgrade.StayingSeats).ToHaveTextAsync("3 × V-Ray Solo at 470.00 USD");
        await Expect(upgrade.ProratedPrice).ToHaveTextAsync(difference);
        offering = await upgrade.ConfirmAsync();
        await Expect(offering.Flash).ToContainTextAsync($"2 seat(s) are now V-Ray Premium, a subscription of their own renewing on {Dates.Format(renewsOn)}");
        await Expect(offering.Flash).ToContainTextAsync($"Paid {difference} with invoice INV-");
        await Expect(offering.ProductTitle).ToHaveTextAsync("V-Ray Premium");
        await Expect(offering.Seats).ToHaveTextAsync("2");
        await Expect(offering.RenewsOn).ToHaveTextAsync(Dates.Format(renewsOn));

        // Two rows now: the 2 upgraded seats and the 3 that stayed, renewing on the same day.
        products = await ActiveProductsPage.OpenAsync(page);
        await Expect(products.Row("V-Ray Premium").Seats).ToHaveTextAsync("2");
        await Expect(products.Row("V-Ray Solo").Seats).ToHaveTextAsync("3");
        Assert.Equal(renewsOn, await products.Row("V-Ray Premium").ReadRenewsOnAsync());
        Assert.Equal(renewsOn, await products.Row("V-Ray Solo").ReadRenewsOnAsync());
    });
}
