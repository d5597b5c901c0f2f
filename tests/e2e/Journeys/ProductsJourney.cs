using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using ChaosModular.E2E.Harness;
using ChaosModular.E2E.Pages;
using ChaosModular.E2E.Seeding;

namespace ChaosModular.E2E.Journeys;

/// <summary>
/// A customer's products, end to end in Chromium against the real Web and Worker processes. A customer who signs
/// up has no subscription and cannot buy a first one in the portal, so each journey seeds a customer of its own with
/// the subscriptions it works on (and, to pay, a German business's billing information and a Visa ending in 4242).
/// </summary>
public sealed partial class ProductsJourney(PortalFixture portal, ITestOutputHelper output) : PortalTest(portal, output)
{
    private const string NewBillingName = "Ada Rendering Studio GmbH";

    [Fact]
    public Task Every_V_Ray_subscription_shows_the_licence_key_Licensing_gave_it_and_Chaos_Vantage_none() => JourneyAsync(async page =>
    {
        var customer = await SeedAsync(CustomerBuilder.For()
            .WithSubscription("vray-next-workstation-annual", "EUR", activatedDaysAgo: 200, autoRenew: false)
            .WithSubscription("vray-solo-annual", "EUR", activatedDaysAgo: 100)
            .WithSubscription("vantage-annual", "EUR", activatedDaysAgo: 50));
        var products = await SignInAsync(page, customer);

        // The Worker's Licensing handler gives the keys after the seeded SubscriptionCreated events; the page shows
        // them once it has (server-rendered, so look again until then).
        await Eventually.HappensAsync(async () =>
        {
            await page.ReloadAsync();
            return await page.GetByTestId("license-key").CountAsync() == 2;
        }, "the licence keys given by Licensing", TimeSpan.FromSeconds(30));
        var keyFormat = new Regex("^[A-HJ-NP-Z2-9]{5}(-[A-HJ-NP-Z2-9]{5}){4}$");
        foreach (var name in (string[])["V-Ray Next Workstation", "V-Ray Solo"])
        {
            var row = products.Row(name);
            await Expect(row.LicenseKey).ToHaveValueAsync(keyFormat, new() { Timeout = 30_000 });
            await Expect(row.Locator.GetByTestId("license-key-label")).ToHaveTextAsync("for versions older than 4.1");
            await Expect(row.Locator.GetByRole(AriaRole.Button, new() { Name = "Copy" })).ToBeVisibleAsync();
        }
        await Expect(products.Row("Chaos Vantage").LicenseKey).ToHaveCountAsync(0);

        var offering = await products.OpenAsync("V-Ray Solo");
        await Expect(offering.LicenseKey).ToHaveValueAsync(keyFormat, new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("license-key-label")).ToHaveTextAsync("for versions older than 4.1");
    });

    [Fact]
    public Task Filters_active_products_by_family_currency_and_expiration_and_Clear_shows_them_all_again() => JourneyAsync(async page =>
    {
        var customer = await SeedAsync(CustomerBuilder.For()
            .WithSubscriptionRenewingIn(20, "vray-premium-annual", "EUR", seats: 3)
            .WithSubscription("vray-solo-annual", "USD", seats: 2, activatedDaysAgo: 100)
            .WithSubscription("corona-solo-monthly", "EUR", activatedDaysAgo: 75)
            .WithSubscription("vray-next-workstation-annual", "EUR", activatedDaysAgo: 200, autoRenew: false)
            .WithSubscription("enscape-fixed-monthly", "USD", seats: 2, activatedDaysAgo: 40));
        var vray = customer.Seed.Subscriptions.Count(s => s.Plan.StartsWith("vray-", StringComparison.Ordinal));
        var usd = customer.Seed.Subscriptions.Count(s => s.Currency == "USD");
        var products = await SignInAsync(page, customer);
        var all = await ReadRenewalDatesAsync(products);
        Assert.Equal(customer.ActiveSubscriptionCount, all.Count);
        await Expect(products.ClearLink).ToHaveCountAsync(0);

        // Family: V-Ray shows only the V-Ray subscriptions, and the address says so (a link to share).
        await products.FilterByFamilyAsync("V-Ray");
        await Expect(page).ToHaveURLAsync(new Regex(@"[?&]family=vray(&|$)"));
        await Expect(products.FamilyFilter).ToHaveValueAsync("vray");
        await Expect(products.Rows).ToHaveCountAsync(vray);
        foreach (var row in await products.AllRowsAsync())
        {
            await Expect(row.FamilyAndPrice).ToHaveTextAsync(new Regex(@"^\s*V-Ray · "));
        }
        await Expect(products.Row("Corona Solo").Locator).ToHaveCountAsync(0);
        await Expect(products.Row("Enscape Fixed Seat").Locator).ToHaveCountAsync(0);

        await products.ClearAsync();
        await Expect(products.Rows).ToHaveCountAsync(all.Count);
        await Expect(products.FamilyFilter).ToHaveValueAsync("");
        await Expect(products.ClearLink).ToHaveCountAsync(0);

        // Currency: the USD subscriptions (the V-Ray one and Enscape Fixed Seat).
        await products.FilterByCurrencyAsync("USD");
        await Expect(page).ToHaveURLAsync(new Regex(@"[?&]currency=USD(&|$)"));
        await Expect(products.Rows).ToHaveCountAsync(usd);
        foreach (var row in await products.AllRowsAsync())
        {
            await Expect(row.Term).ToHaveTextAsync(new Regex(@"· USD\s*$"));
        }
        await Expect(products.Row("Enscape Fixed Seat").Locator).ToHaveCountAsync(1);
        await products.ClearAsync();
        await Expect(products.Rows).ToHaveCountAsync(all.Count);

        // Expiration range, both ends included: from the second-soonest renewal to 200 days ahead.
        var from = all.Values.Distinct().Order().Skip(1).First();
        var to = Today.AddDays(200);
        var expected = all.Where(s => s.Value >= from && s.Value <= to).Select(s => s.Key).Order().ToList();
        Assert.True(expected.Count > 0 && expected.Count < all.Count, $"The range {from}–{to} should split the subscriptions: {string.Join(", ", all)}");
        await products.FilterByExpirationAsync(from, to);
        await Expect(products.Rows).ToHaveCountAsync(expected.Count);
        var shown = new List<string>();
        foreach (var row in await products.AllRowsAsync())
        {
            shown.Add(await row.ReadIdAsync());
        }
        Assert.Equal(expected, shown.Order().ToList());
        await Expect(products.ExpiresFromFilter).ToHaveValueAsync(Dates.Format(from));
        await Expect(products.ExpiresToFilter).ToHaveValueAsync(Dates.Format(to));

        // A range the wrong way round says why nothing matches.
        await products.FilterByExpirationAsync(to, from);
        await Expect(products.FilterError).ToHaveTextAsync("The 'from' date is after the 'to' date.");
        await Expect(products.NoMatches).ToBeVisibleAsync();
        await products.ClearAsync();
        await Expect(products.Rows).ToHaveCountAsync(all.Count);
        await Expect(products.FilterError).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Switches_auto_renewal_off_and_on_outside_the_30_day_window_and_cannot_inside_it() => JourneyAsync(async page =>
    {
        var products = await SignInAsync(page, await SeedAsync(Paying()
            .WithSubscription("vray-solo-annual", "USD", seats: 2, activatedDaysAgo: 100)
            .WithSubscriptionRenewingIn(20, "vray-premium-annual", "EUR", seats: 3)));

        // Outside the window: the annual V-Ray subscription in USD.
        await products.FilterAsync(family: "V-Ray", currency: "USD");
        var offering = await products.OpenOnlyRowAsync();
        var renewsOn = await offering.ReadRenewsOnAsync();
        Assert.True(renewsOn.DayNumber - Today.DayNumber > 30, $"{offering.SubscriptionId} renews on {renewsOn}, inside the 30-day window.");
        var renewal = Dates.Format(renewsOn);
        await Expect(offering.AutoRenewal).ToHaveTextAsync($"On: renews on {renewal} and charges your default payment method.");
        await Expect(offering.Cutoff).ToHaveTextAsync($"You can disable it until {Dates.Format(renewsOn.AddDays(-30))}.");

        await offering.DisableAutoRenewalAsync();
        await Expect(offering.AutoRenewal).ToHaveTextAsync($"Off: the subscription ends on {renewal}.");
        await Expect(offering.DisableAutoRenewalButton).ToHaveCountAsync(0);
        await Expect(offering.EnableAutoRenewalButton).ToBeVisibleAsync();
        await Expect(offering.Cutoff).ToHaveTextAsync($"You can enable it until {Dates.Format(renewsOn.AddDays(-1))}.");
        products = await ActiveProductsPage.OpenAsync(page);
        await Expect(products.RowOf(offering.SubscriptionId).AutoRenewal).ToHaveTextAsync(new Regex($@"^\s*Off\s+Ends {renewal}\s*$"));

        offering = await OfferingPage.OpenAsync(page, offering.SubscriptionId);
        await offering.EnableAutoRenewalAsync();
        await Expect(offering.AutoRenewal).ToHaveTextAsync($"On: renews on {renewal} and charges your default payment method.");
        await Expect(offering.DisableAutoRenewalButton).ToBeVisibleAsync();
        products = await ActiveProductsPage.OpenAsync(page);
        await Expect(products.RowOf(offering.SubscriptionId).AutoRenewal).ToHaveTextAsync("On");

        // Inside the window: the V-Ray subscription in EUR renewing within 30 days.
        await products.FilterAsync(family: "V-Ray", currency: "EUR", to: Today.AddDays(30));
        offering = await products.OpenOnlyRowAsync();
        renewsOn = await offering.ReadRenewsOnAsync();
        Assert.InRange(renewsOn.DayNumber - Today.DayNumber, 1, 29);
        await Expect(offering.AutoRenewal).ToHaveTextAsync($"On: renews on {Dates.Format(renewsOn)} and charges your default payment method.");
        await Expect(offering.DisableAutoRenewalButton).ToHaveCountAsync(0);
        await Expect(offering.EnableAutoRenewalButton).ToHaveCountAsync(0);
        await Expect(offering.Cutoff).ToHaveTextAsync(
            $"Auto-renewal could be disabled until {Dates.Format(renewsOn.AddDays(-30))} (30 days before the renewal); this renewal will go ahead.");
    });

    [Fact]
    public Task Buys_an_expired_product_again_after_changing_the_billing_name_in_the_cart_and_only_the_new_invoice_has_it() => JourneyAsync(async page =>
    {
        var customer = await SeedAsync(Paying()
            .WithOpenInvoice("EUR", 165m)
            .WithSubscription("vray-solo-annual", "USD", activatedDaysAgo: 100)
            .WithExpiredSubscription("phoenix-annual", "EUR"));
        var products = await SignInAsync(page, customer);
        await Expect(products.Row("Phoenix").Locator).ToHaveCountAsync(0);
        await products.Tab("Expired Products").ClickAsync();
        var expired = new ExpiredProductsPage(page);
        await expired.ExpectOpenAsync();
        await Expect(expired.Row("Phoenix").BuyAgainLink).ToBeVisibleAsync();

        // The cart: today's price, the billing information and the card the order will be billed to.
        var cart = await expired.BuyAgainAsync("Phoenix");
        await Expect(cart.Product).ToHaveTextAsync("Phoenix");
        await Expect(cart.SeatsInput).ToHaveValueAsync("1");
        await Expect(cart.Total).ToHaveTextAsync("550.00 EUR");
        await Expect(cart.BillingInformation).ToContainTextAsync(customer.BillingName);
        await Expect(cart.BillingInformation).ToContainTextAsync($"VAT ID {customer.VatId}");
        await Expect(cart.PaymentMethod).ToContainTextAsync("Charged to your Visa •••• 4242.");
        await cart.ChangeQuantityAsync(2);
        await Expect(cart.Total).ToHaveTextAsync("1,100.00 EUR");

        // "Change" the billing information: saving comes back to this cart, quantity kept.
        var cartAddress = new Uri(page.Url).PathAndQuery;
        var information = await cart.ChangeBillingInformationAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"[?&]returnUrl={Regex.Escape(Uri.EscapeDataString(cartAddress))}$", RegexOptions.IgnoreCase));
        await Expect(information.BackToOrderLink).ToBeVisibleAsync();
        await Expect(information.Name).ToHaveValueAsync(customer.BillingName);
        await information.Name.FillAsync(NewBillingName);
        await information.SaveAsync();
        cart = await CartPage.ExpectOpenAsync(page);
        Assert.Equal(cartAddress, new Uri(page.Url).PathAndQuery);
        await Expect(cart.Flash).ToContainTextAsync("Billing information saved.");
        await Expect(cart.BillingInformation).ToContainTextAsync(NewBillingName);
        await Expect(cart.SeatsInput).ToHaveValueAsync("2");
        await Expect(cart.Total).ToHaveTextAsync("1,100.00 EUR");

        var offering = await cart.PlaceOrderAsync();
        await Expect(offering.Flash).ToContainTextAsync("Paid 1,100.00 EUR with invoice INV-");
        var invoice = InvoiceNumberIn(await offering.Flash.InnerTextAsync());
        await Expect(offering.ProductTitle).ToHaveTextAsync("Phoenix");
        await Expect(offering.Status).ToHaveTextAsync("Active");
        await Expect(offering.Seats).ToHaveTextAsync("2");
        await Expect(offering.Period).ToHaveTextAsync($"{Dates.Format(Today)} – {Dates.Format(Today.AddYears(1).AddDays(-1))}");

        // The new subscription is in Active Products (and its installers in Downloads); the expired one stays expired.
        products = await ActiveProductsPage.OpenAsync(page);
        var phoenix = products.RowOf(offering.SubscriptionId);
        await Expect(phoenix.ProductName).ToHaveTextAsync("Phoenix");
        await Expect(phoenix.Seats).ToHaveTextAsync("2");
        await Expect(phoenix.Term).ToHaveTextAsync("Annual · EUR");
        await Expect(phoenix.RenewsOn).ToHaveTextAsync(Dates.Format(Today.AddYears(1)));
        var downloads = await DownloadsPage.OpenAsync(page);
        await Expect(downloads.Product("Phoenix")).ToBeVisibleAsync();
        Assert.True(await downloads.DownloadLinks("Phoenix").CountAsync() > 0, "Downloads lists Phoenix without a single installer.");
        expired = await ExpiredProductsPage.OpenAsync(page);
        await Expect(expired.Row("Phoenix").BuyAgainLink).ToBeVisibleAsync();

        // The new invoice is made out to the new name; one issued before keeps the old one.
        var invoices = await InvoicesPage.OpenAsync(page);
        await Expect(invoices.Row(invoice).Status).ToHaveTextAsync("Paid");
        await Expect(invoices.Row(invoice).Amount).ToHaveTextAsync("1,100.00 EUR");
        var text = PdfText.Extract((await invoices.DownloadPdfAsync(invoice)).Content);
        Assert.Contains(invoice, text, StringComparison.Ordinal);
        Assert.Contains(NewBillingName, text, StringComparison.Ordinal);
        Assert.DoesNotContain(customer.BillingName, text, StringComparison.Ordinal);
        Assert.Contains("Total (EUR) 1,100.00", text, StringComparison.Ordinal);
        var older = await invoices.NumberOfInvoiceWithTotalAsync("165.00 EUR");
        text = PdfText.Extract((await invoices.DownloadPdfAsync(older)).Content);
        Assert.Contains(customer.BillingName, text, StringComparison.Ordinal);
        Assert.DoesNotContain(NewBillingName, text, StringComparison.Ordinal);
    });

    [Fact]
    public Task A_card_declined_when_adding_seats_changes_nothing_and_leaves_nothing_to_pay() => JourneyAsync(async page =>
    {
        await SignInAsync(page, await SeedAsync(Paying()
            .WithSubscription("enscape-fixed-monthly", "USD", seats: 2, activatedDaysAgo: 40)));
        var invoices = await InvoicesPage.OpenAsync(page);
        var outstanding = await invoices.Outstanding.InnerTextAsync();

        // A card that saves but is declined when charged, made the default.
        var methods = await PaymentMethodsPage.OpenAsync(page);
        await methods.AddCardAsync("4000000000000341", 12, DateTime.UtcNow.Year + 3, "123");
        await Expect(methods.DefaultBadge("0341")).ToBeVisibleAsync();

        var products = await ActiveProductsPage.OpenAsync(page);
        var offering = await products.OpenAsync("Enscape Fixed Seat");
        await Expect(offering.Seats).ToHaveTextAsync("2");
        var addSeats = await offering.OpenAddSeatsAsync();
        await Expect(addSeats.PaymentMethod).ToContainTextAsync("Charged to your Visa •••• 0341.");
        await addSeats.QuoteAsync(1);
        await addSeats.ConfirmExpectingNoChangeAsync();
        await Expect(addSeats.Outcome).ToHaveTextAsync("Your payment was declined: Your card was declined. Nothing was changed.");
        await Expect(addSeats.Flash).ToHaveCountAsync(0);

        // Nothing new to pay, the seats as they were, the order cancelled and its invoice void.
        invoices = await InvoicesPage.OpenAsync(page);
        await Expect(invoices.Outstanding).ToHaveTextAsync(outstanding);
        products = await ActiveProductsPage.OpenAsync(page);
        await Expect(products.RowOf(offering.SubscriptionId).Seats).ToHaveTextAsync("2");
        offering = await OfferingPage.OpenAsync(page, offering.SubscriptionId);
        await Expect(offering.Seats).ToHaveTextAsync("2");
        var order = offering.Order("1 added seat(s)");
        await Expect(order).ToHaveCountAsync(1);
        await Expect(order).ToContainTextAsync("Cancelled: Your card was declined.");
        var voided = InvoiceNumberIn(await order.InnerTextAsync());
        invoices = await InvoicesPage.OpenAsync(page);
        await Expect(invoices.Row(voided).Status).ToHaveTextAsync("Void");
        await Expect(invoices.Row(voided).PayLink).ToHaveCountAsync(0);
    });

    /// <summary>
    /// A customer who can pay: a German business with a VAT ID (reverse charge: an invoice's total is the price) and
    /// a Visa ending in 4242.
    /// </summary>
    internal static CustomerBuilder Paying([CallerMemberName] string journey = "") =>
        CustomerBuilder.For(journey).WithGermanBusiness("Ada Visualisation GmbH").WithCard("4242");

    /// <summary>Signs the customer in; the portal opens on their active products.</summary>
    internal static async Task<ActiveProductsPage> SignInAsync(IPage page, SeededCustomer customer)
    {
        var products = await (await SignInPage.OpenAsync(page)).SignInAsync(customer.Email, customer.Password);
        await Expect(products.Rows).ToHaveCountAsync(customer.ActiveSubscriptionCount);
        return products;
    }

    /// <summary>The real today in UTC, the calendar subscription dates are kept in.</summary>
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static async Task<Dictionary<string, DateOnly>> ReadRenewalDatesAsync(ActiveProductsPage products)
    {
        var dates = new Dictionary<string, DateOnly>();
        foreach (var row in await products.AllRowsAsync())
        {
            dates[await row.ReadIdAsync()] = await row.ReadRenewsOnAsync();
        }
        return dates;
    }

    internal static string InvoiceNumberIn(string text)
    {
        var match = InvoiceNumber().Match(text);
        Assert.True(match.Success, $"No invoice number in \"{text}\".");
        return match.Value;
    }

    [GeneratedRegex(@"INV-\d{4}-\d{6}")]
    private static partial Regex InvoiceNumber();
}

/// <summary>
/// A renewal, end to end: the portal's clock is moved to the customer's V-Ray Premium's renewal day
/// (<see cref="RenewalsPortalFixture"/>), support runs the renewal job from the Hangfire dashboard, and the Worker
/// renews it: the customer sees the next period and the paid renewal invoice.
/// </summary>
public sealed class ProductsRenewalJourney(RenewalsPortalFixture portal, ITestOutputHelper output) : RenewalsPortalTest(portal, output)
{
    private const string RenewalJobId = "subscriptions-renewals";

    [Fact]
    public Task On_the_renewal_day_the_renewal_job_renews_the_subscription_and_charges_the_renewal_invoice() => JourneyAsync(async page =>
    {
        Portal.MoveClockTo(0);
        var customer = await SeedAsync(ProductsJourney.Paying().WithSubscriptionRenewingIn(20, "vray-premium-annual", "EUR", seats: 3));
        var support = await SeedAsync(CustomerBuilder.For().Named("Support Desk", "BG").AsSupport());
        var products = await ProductsJourney.SignInAsync(page, customer);
        await products.FilterAsync(family: "V-Ray", currency: "EUR", to: Portal.Today.AddDays(30));
        var offering = await products.OpenOnlyRowAsync();
        await Expect(offering.ProductTitle).ToHaveTextAsync("V-Ray Premium");
        await Expect(offering.Seats).ToHaveTextAsync("3");
        var renewsOn = await offering.ReadRenewsOnAsync();
        var daysToRenewal = renewsOn.DayNumber - Portal.Today.DayNumber;
        Assert.InRange(daysToRenewal, 1, 30);
        await Expect(offering.AddSeatsLink).ToBeVisibleAsync();

        // The renewal day, when the customer signs in afresh (the old session cookie has expired by the moved clock):
        // seats can no longer be added to the ending period.
        Portal.MoveClockTo(daysToRenewal);
        await page.Context.ClearCookiesAsync();
        await ProductsJourney.SignInAsync(page, customer);
        offering = await OfferingPage.OpenAsync(page, offering.SubscriptionId);
        await Expect(offering.RenewsOn).ToHaveTextAsync(Dates.Format(renewsOn));
        await Expect(offering.AddSeatsLink).ToHaveCountAsync(0);

        // Support runs the renewal job now instead of waiting for its hourly run.
        var desk = await NewBrowserSessionAsync();
        await (await SignInPage.OpenAsync(desk)).SignInAsync(support.Email, support.Password);
        var jobs = await HangfireRecurringJobsPage.OpenAsync(desk);
        await jobs.TriggerNowAsync(RenewalJobId);

        // The Worker renews it: the next period starts on the renewal date.
        var nextRenewal = renewsOn.AddYears(1);
        await Eventually.HappensAsync(async () =>
        {
            await page.ReloadAsync();
            return (await offering.RenewsOn.InnerTextAsync()).Trim() == Dates.Format(nextRenewal);
        }, $"the offering page shows the next renewal on {Dates.Format(nextRenewal)}");
        await Expect(offering.Period).ToHaveTextAsync($"{Dates.Format(renewsOn)} – {Dates.Format(nextRenewal.AddDays(-1))}");
        await Expect(offering.Seats).ToHaveTextAsync("3");
        await Expect(offering.Status).ToHaveTextAsync("Active");
        await Expect(offering.AutoRenewal).ToHaveTextAsync($"On: renews on {Dates.Format(nextRenewal)} and charges your default payment method.");
        await Expect(offering.AddSeatsLink).ToBeVisibleAsync();
        var order = offering.Order($"Renewal of {Dates.Format(renewsOn)}, 3 seat(s)");
        await Expect(order).ToHaveCountAsync(1);
        await Expect(order).ToContainTextAsync("2,097.00 EUR");
        await Expect(order).ToContainTextAsync("Done");
        var invoice = ProductsJourney.InvoiceNumberIn(await order.InnerTextAsync());

        // The renewal invoice (3 × 699.00 EUR, reverse charge), issued on the renewal day and paid with the Visa.
        var invoices = await InvoicesPage.OpenAsync(page);
        var row = invoices.Row(invoice);
        await Expect(row.Status).ToHaveTextAsync("Paid");
        await Expect(row.Amount).ToHaveTextAsync("2,097.00 EUR");
        await Expect(row.Issued).ToHaveTextAsync(Dates.Format(renewsOn));
        var text = PdfText.Extract((await invoices.DownloadPdfAsync(invoice)).Content);
        Assert.Contains("V-Ray Premium, annual renewal", text, StringComparison.Ordinal);
        Assert.Contains("Total (EUR) 2,097.00", text, StringComparison.Ordinal);
    });
}
