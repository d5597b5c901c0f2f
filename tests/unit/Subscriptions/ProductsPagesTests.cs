using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ChaosModular.Billing.Contracts.Events;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Subscriptions.Contracts;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.Subscriptions.Features;
using ChaosModular.Subscriptions.IntegrationEventHandlers;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.UnitTests.Billing;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Subscriptions;

/// <summary>A portal whose clock stands at 2026-07-02 10:00 UTC.</summary>
public class ProductsPortalFactory : SqlitePortalFactory
{
    public static readonly DateOnly Today = new(2026, 7, 2);

    public ProductsPortalFactory()
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 2, 10, 0, 0, TimeSpan.Zero));
        // Counts SQL commands where a test asks (Licensing's server list); records nothing otherwise.
        TestServices = SqlCommandCounter.AddTo;
    }
}

/// <summary>The same portal with the demo customer, member and support user.</summary>
public sealed class DemoProductsPortalFactory : ProductsPortalFactory
{
    public DemoProductsPortalFactory() => DemoData = true;
}

/// <summary>The same portal on a server whose culture writes numbers with a decimal comma.</summary>
public sealed class GermanProductsPortalFactory : ProductsPortalFactory
{
    public GermanProductsPortalFactory() => ServerCulture = CultureInfo.GetCultureInfo("de-DE");
}

/// <summary>
/// Every products test again on a de-DE server: prices posted back by the review forms (ExpectedPrice) are machine
/// values and must be read the same whatever the server's culture, and pages show amounts the same way.
/// </summary>
public sealed class ProductsPagesOnAGermanServerTests(GermanProductsPortalFactory factory) : ProductsPagesTests(factory), IClassFixture<GermanProductsPortalFactory>;

public partial class ProductsPagesTests(ProductsPortalFactory factory) : IClassFixture<ProductsPortalFactory>
{
    private static readonly DateOnly March1 = new(2026, 3, 1);   // an annual subscription from here renews on 2027-03-01: 242 of 365 days left today

    private static async Task<string> Page(PortalClient client, string path) => PortalClient.Decode(await client.GetPageAsync(path));

    private static int Rows(string html) => SubscriptionRow().Count(html);

    private async Task<Invoice> InvoiceFor(Guid orderId) =>
        await InBilling(db => db.Invoices.AsNoTracking().SingleAsync(i => i.SourceReference == $"subscriptions:order:{orderId:N}"));

    private async Task<T> InBilling<T>(Func<BillingDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<BillingDbContext>());
    }

    [Fact]
    public async Task Active_and_expired_products_filter_by_family_expiration_and_currency_in_the_url()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);                            // renews 2027-03-01
        await customer.GiveSubscriptionAsync("corona-solo-monthly", "USD", 1, new DateOnly(2026, 6, 10));      // renews 2026-07-10
        await customer.GiveSubscriptionAsync("enscape-fixed-annual", "GBP", 1, new DateOnly(2025, 12, 1));    // renews 2026-12-01
        await customer.GiveSubscriptionAsync("phoenix-annual", "EUR", 1, new DateOnly(2025, 5, 1), autoRenew: false, expired: true);

        var all = await Page(customer.Client, "/products");
        Assert.Equal(3, Rows(all));
        Assert.DoesNotContain("product-name\">Phoenix<", all, StringComparison.Ordinal);

        var vray = await Page(customer.Client, "/products?family=vray");
        Assert.Equal(1, Rows(vray));
        Assert.Contains("V-Ray Solo", vray, StringComparison.Ordinal);
        Assert.Contains("<option value=\"vray\" selected=\"selected\">", vray, StringComparison.Ordinal);

        var usd = await Page(customer.Client, "/products?currency=USD");
        Assert.Equal(1, Rows(usd));
        Assert.Contains("Corona Solo", usd, StringComparison.Ordinal);

        var thisYear = await Page(customer.Client, "/products?expiresFrom=2026-07-01&expiresTo=2026-12-31");
        Assert.Equal(2, Rows(thisYear));
        Assert.DoesNotContain("product-name\">V-Ray Solo<", thisYear, StringComparison.Ordinal);
        Assert.Equal(0, Rows(await Page(customer.Client, "/products?family=vray&currency=USD")));
        Assert.Contains("The 'from' date is after the 'to' date.", await Page(customer.Client, "/products?expiresFrom=2026-12-31&expiresTo=2026-01-01"), StringComparison.Ordinal);

        var expired = await Page(customer.Client, "/products/expired");
        Assert.Equal(1, Rows(expired));
        Assert.Contains("product-name\">Phoenix<", expired, StringComparison.Ordinal);
        Assert.Contains("2026-05-01", expired, StringComparison.Ordinal);
        Assert.Equal(0, Rows(await Page(customer.Client, "/products/expired?family=vray")));
        Assert.Equal(1, Rows(await Page(customer.Client, "/products/expired?expiresFrom=2026-05-01&expiresTo=2026-05-01")));
    }

    [Fact]
    public async Task Active_and_expired_products_show_25_a_page_with_the_page_and_filters_in_the_url_and_a_page_past_the_end_shows_the_last()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        for (var i = 0; i < 30; i++)
        {
            await customer.GiveSubscriptionAsync("vray-solo-monthly", "EUR", 1, new DateOnly(2026, 6, 3).AddDays(i % 28));
            await customer.GiveSubscriptionAsync("phoenix-annual", "USD", 1, new DateOnly(2025, 5, 1).AddDays(i), autoRenew: false, expired: true);
        }
        await customer.GiveSubscriptionAsync("corona-solo-monthly", "USD", 1, new DateOnly(2026, 6, 10));

        var first = await Page(customer.Client, "/products?currency=EUR");
        Assert.Equal(25, Rows(first));
        Assert.Contains("Showing 1–25 of 30", first, StringComparison.Ordinal);
        Assert.Contains("href=\"/products?currency=EUR&p=2\"", first, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"previous-page\"", first, StringComparison.Ordinal);

        var second = await Page(customer.Client, "/products?currency=EUR&p=2");
        Assert.Equal(5, Rows(second));
        Assert.Contains("Showing 26–30 of 30", second, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"previous-page\"", second, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"next-page\"", second, StringComparison.Ordinal);
        var firstIds = SubscriptionIds(first);
        Assert.Empty(firstIds.Intersect(SubscriptionIds(second)));

        var past = await Page(customer.Client, "/products?currency=EUR&p=99");
        Assert.Equal(SubscriptionIds(second), SubscriptionIds(past));
        Assert.Equal(firstIds, SubscriptionIds(await Page(customer.Client, "/products?currency=EUR&p=-3")));
        Assert.Contains("Showing 1–25 of 31", await Page(customer.Client, "/products"), StringComparison.Ordinal);

        var expired = await Page(customer.Client, "/products/expired");
        Assert.Equal(25, Rows(expired));
        Assert.Contains("Showing 1–25 of 30", expired, StringComparison.Ordinal);
        Assert.Equal(5, Rows(await Page(customer.Client, "/products/expired?p=2")));
    }

    private static List<string> SubscriptionIds(string html) => SubscriptionId().Matches(html).Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public async Task Active_products_show_dates_auto_renewal_payment_method_and_licensings_key_for_every_V_Ray_subscription()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var next = await customer.GiveSubscriptionAsync("vray-next-workstation-annual", "EUR", 1, March1, autoRenew: false);
        var solo = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);
        var vantage = await customer.GiveSubscriptionAsync("vantage-annual", "EUR", 1, March1);
        foreach (var id in new[] { next, solo, vantage })
        {
            await FollowInLicensing(id);   // as the Worker does on SubscriptionCreated
        }

        var page = await Page(customer.Client, "/products");

        // V-Ray has key-based versions (before 4.1): both V-Ray subscriptions have a key, the Vantage one none.
        Assert.Equal(2, LicenseKey().Count(page));
        var keys = await InLicensing(db => db.Licenses.AsNoTracking().Where(l => l.CustomerId == customer.UserId && l.LicenseKey != null)
            .ToDictionaryAsync(l => l.SubscriptionId, l => l.LicenseKey!));
        Assert.Equal(new[] { next, solo }.Order(), keys.Keys.Order());
        Assert.All(keys.Values, key => Assert.Contains($"value=\"{key}\"", page, StringComparison.Ordinal));
        Assert.Equal(2, Regex.Count(page, "for versions older than 4\\.1"));
        Assert.Contains("2026-03-01", page, StringComparison.Ordinal);
        Assert.Contains("2027-03-01", page, StringComparison.Ordinal);
        Assert.Contains("Visa •••• 4242", page, StringComparison.Ordinal);
        Assert.Contains(">Off<", page, StringComparison.Ordinal);
        Assert.Contains(">On<", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/products/{next}\"", page, StringComparison.Ordinal);

        var details = await Page(customer.Client, $"/products/{solo}");
        Assert.Contains($"value=\"{keys[solo]}\"", details, StringComparison.Ordinal);
        Assert.Contains("for versions older than 4.1", details, StringComparison.Ordinal);
        Assert.Equal(0, LicenseKey().Count(await Page(customer.Client, $"/products/{vantage}")));
    }

    private async Task FollowInLicensing(Guid subscriptionId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ChaosModular.Licensing.Features.FollowSubscription>().HandleAsync(subscriptionId, CancellationToken.None);
    }

    private async Task<T> InLicensing<T>(Func<ChaosModular.Licensing.Data.LicensingDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ChaosModular.Licensing.Data.LicensingDbContext>());
    }

    [Fact]
    public async Task Adding_seats_shows_the_prorated_price_invoices_and_charges_it_and_then_adds_the_seats()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);

        var review = await Page(customer.Client, $"/products/{id}/add-seats?seats=2");
        Assert.Contains("623.23 EUR", review, StringComparison.Ordinal);   // 2 x 470 x 242 / 365 = 623.2328...
        Assert.Contains("242 of 365", review, StringComparison.Ordinal);

        var response = await customer.Client.SubmitAsync($"/products/{id}/add-seats?seats=2", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var subscription = await factory.SubscriptionAsync(id);
        Assert.Equal(4, subscription.Seats);
        var order = await factory.InSubscriptions(db => db.Orders.SingleAsync(o => o.SubscriptionId == id));
        Assert.Equal((OrderKind.AddSeats, OrderStatus.Completed, 2), (order.Kind, order.Status, order.Seats));
        var invoice = await InvoiceFor(order.Id);
        Assert.Equal((InvoiceStatus.Paid, 623.23m, "EUR"), (invoice.Status, invoice.Subtotal, invoice.Currency));
        Assert.True(await factory.InSubscriptions(db => db.OutboxMessages.AnyAsync(m => m.Type.Contains("SubscriptionSeatsChanged"))));
        var details = await Page(customer.Client, $"/products/{id}");
        Assert.Matches("data-testid=\"seats\">4", details);
        Assert.Contains(invoice.Number, details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declined_card_on_add_seats_says_why_and_changes_nothing()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000000341");
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);

        var response = await customer.Client.SubmitAsync($"/products/{id}/add-seats?seats=3", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = PortalClient.Decode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Your payment was declined: Your card was declined. Nothing was changed.", page, StringComparison.Ordinal);
        Assert.Equal(2, (await factory.SubscriptionAsync(id)).Seats);
        var order = await factory.InSubscriptions(db => db.Orders.SingleAsync(o => o.SubscriptionId == id));
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(InvoiceStatus.Void, (await InvoiceFor(order.Id)).Status);
        Assert.Contains("Nothing to pay", await Page(customer.Client, "/billing"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_price_or_a_bad_quantity_is_refused_without_charging()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);

        var stale = await customer.Client.SubmitAsync($"/products/{id}/add-seats?seats=1", new Dictionary<string, string> { ["ExpectedPrice"] = "1.00" });
        var zero = await customer.Client.SubmitAsync($"/products/{id}/add-seats?seats=1", new Dictionary<string, string> { ["seats"] = "0" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, stale.StatusCode);
        Assert.Contains("The price is now 311.62 EUR", PortalClient.Decode(await stale.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, zero.StatusCode);
        Assert.Contains("Choose between 1 and 500 seats.", PortalClient.Decode(await zero.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(2, (await factory.SubscriptionAsync(id)).Seats);
        Assert.False(await factory.InSubscriptions(db => db.Orders.AnyAsync(o => o.SubscriptionId == id)));
    }

    [Fact]
    public async Task Upgrade_pays_the_prorated_difference_and_switches_the_product()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);

        Assert.Contains($"href=\"/products/{id}/upgrade\"", await Page(customer.Client, "/products"), StringComparison.Ordinal);
        var review = await Page(customer.Client, $"/products/{id}/upgrade");
        Assert.Contains("V-Ray Premium", review, StringComparison.Ordinal);
        Assert.Contains("303.66 EUR", review, StringComparison.Ordinal);   // (2 x 699 - 2 x 470) x 242 / 365

        var response = await customer.Client.SubmitAsync($"/products/{id}/upgrade?to=vray-premium-annual&seats=3", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var upgraded = await factory.SubscriptionAsync(id);
        Assert.Equal(("vray-premium-annual", "vray-premium", 3, 699m), (upgraded.PlanCode, upgraded.ProductCode, upgraded.Seats, upgraded.PricePerSeat));
        var order = await factory.InSubscriptions(db => db.Orders.SingleAsync(o => o.SubscriptionId == id));
        Assert.Equal(767.11m, (await InvoiceFor(order.Id)).Subtotal);   // (3 x 699 - 2 x 470) x 242 / 365 = 767.1068...
        Assert.True(await factory.InSubscriptions(db => db.OutboxMessages.AnyAsync(m => m.Type.Contains("SubscriptionUpgraded"))));
    }

    [Fact]
    public async Task Without_an_upgrade_path_there_is_no_button_and_the_server_refuses()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("phoenix-annual", "EUR", 1, March1);

        var details = await Page(customer.Client, $"/products/{id}");
        Assert.DoesNotContain("data-testid=\"upgrade\"", details, StringComparison.Ordinal);
        Assert.DoesNotContain($"/products/{id}/upgrade", await Page(customer.Client, "/products"), StringComparison.Ordinal);
        Assert.Contains("Phoenix has no upgrade.", await Page(customer.Client, $"/products/{id}/upgrade"), StringComparison.Ordinal);

        var response = await PostWithTokenFrom(customer.Client, $"/products/{id}", $"/products/{id}/upgrade",
            new() { ["to"] = "vray-premium-annual", ["seats"] = "1", ["OrderId"] = Guid.NewGuid().ToString(), ["ExpectedPrice"] = "0" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Phoenix has no upgrade.", PortalClient.Decode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal("phoenix-annual", (await factory.SubscriptionAsync(id)).PlanCode);
    }

    [Fact]
    public async Task Auto_renewal_switches_inside_its_window_and_is_refused_after_the_cutoff_with_the_date()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var later = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 1, March1);                 // renews 2027-03-01
        var soon = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 1, new DateOnly(2025, 7, 20)); // renews 2026-07-20

        var page = await Page(customer.Client, $"/products/{later}");
        Assert.Contains("You can disable it until 2027-01-30.", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await customer.Client.SubmitAsync($"/products/{later}?handler=AutoRenew", new Dictionary<string, string> { ["on"] = "false" })).StatusCode);
        Assert.False((await factory.SubscriptionAsync(later)).AutoRenew);
        Assert.Contains("You can enable it until 2027-02-28.", await Page(customer.Client, $"/products/{later}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await customer.Client.SubmitAsync($"/products/{later}?handler=AutoRenew", new Dictionary<string, string> { ["on"] = "true" })).StatusCode);
        Assert.True((await factory.SubscriptionAsync(later)).AutoRenew);

        var inside = await Page(customer.Client, $"/products/{soon}");
        Assert.DoesNotContain("data-testid=\"disable-auto-renewal\"", inside, StringComparison.Ordinal);
        Assert.Contains("Auto-renewal could be disabled until 2026-06-20", inside, StringComparison.Ordinal);
        var refused = await customer.Client.SubmitAsync($"/products/{soon}?handler=AutoRenew", new Dictionary<string, string> { ["on"] = "false" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Auto-renewal could be disabled until 2026-06-20.", PortalClient.Decode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.True((await factory.SubscriptionAsync(soon)).AutoRenew);
    }

    [Fact]
    public async Task Reducing_seats_takes_effect_at_the_renewal_and_the_page_says_when()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 3, March1);

        var response = await customer.Client.SubmitAsync($"/products/{id}?handler=ReduceSeats", new Dictionary<string, string> { ["seats"] = "1" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var reduced = await factory.SubscriptionAsync(id);
        Assert.Equal((3, (int?)1), (reduced.Seats, reduced.SeatsFromRenewal));
        Assert.Contains("From 2027-03-01 the subscription has 1 seat(s).", await Page(customer.Client, $"/products/{id}"), StringComparison.Ordinal);
        var tooMany = await customer.Client.SubmitAsync($"/products/{id}?handler=ReduceSeats", new Dictionary<string, string> { ["seats"] = "3" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.StatusCode);
    }

    [Fact]
    public async Task Keeping_seats_is_refused_while_the_renewal_is_under_way_so_a_reduced_renewal_cannot_keep_the_old_seats()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 10, ProductsPortalFactory.Today.AddYears(-1));
        await factory.InSubscriptions(db => db.Subscriptions.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.SeatsFromRenewal, 1)));

        var keep = await PostWithTokenFrom(customer.Client, $"/products/{id}", $"/products/{id}?handler=KeepSeats", new());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, keep.StatusCode);
        Assert.Contains("This subscription is being renewed. Change seats once the renewal is paid.", PortalClient.Decode(await keep.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal((10, (int?)1), ((await factory.SubscriptionAsync(id)).Seats, (await factory.SubscriptionAsync(id)).SeatsFromRenewal));
    }

    [Fact]
    public async Task Buy_again_creates_an_invoice_charges_it_and_starts_a_new_active_subscription()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var expired = await customer.GiveSubscriptionAsync("phoenix-annual", "EUR", 1, new DateOnly(2025, 5, 1), autoRenew: false, expired: true);

        var cart = await Page(customer.Client, $"/products/cart/{expired}?seats=2");
        Assert.Contains("1,100.00 EUR", cart.Replace("1100.00 EUR", "1,100.00 EUR", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Payer Studio Ltd", cart, StringComparison.Ordinal);
        Assert.Contains("Visa •••• 4242", cart, StringComparison.Ordinal);

        var response = await customer.Client.SubmitAsync($"/products/cart/{expired}?seats=2", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var newId = Guid.Parse(response.Headers.Location!.OriginalString["/products/".Length..]);
        var started = await factory.SubscriptionAsync(newId);
        Assert.Equal((SubscriptionStatus.Active, "phoenix-annual", 2, ProductsPortalFactory.Today, new DateOnly(2027, 7, 2)),
            (started.Status, started.PlanCode, started.Seats, started.ActivatedOn, started.RenewsOn));
        Assert.Equal((InvoiceStatus.Paid, 1100m), ((await InvoiceFor(newId)).Status, (await InvoiceFor(newId)).Subtotal));
        var active = await Page(customer.Client, "/products");
        Assert.Contains($"href=\"/products/{newId}\"", active, StringComparison.Ordinal);
        Assert.Equal(SubscriptionStatus.Expired, (await factory.SubscriptionAsync(expired)).Status);
    }

    [Fact]
    public async Task Another_customers_subscription_is_not_found_for_every_page_and_action()
    {
        var owner = await BillingCustomer.SignUpAsync(factory);
        var active = await owner.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);
        var expired = await owner.GiveSubscriptionAsync("phoenix-annual", "EUR", 1, new DateOnly(2025, 5, 1), autoRenew: false, expired: true);
        var intruder = await BillingCustomer.SignUpAsync(factory);

        foreach (var path in new[] { $"/products/{active}", $"/products/{active}/add-seats", $"/products/{active}/upgrade", $"/products/cart/{expired}" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await intruder.Client.GetAsync(path)).StatusCode);
        }
        var posts = new (string Path, Dictionary<string, string> Form)[]
        {
            ($"/products/{active}?handler=AutoRenew", new() { ["on"] = "false" }),
            ($"/products/{active}?handler=ReduceSeats", new() { ["seats"] = "1" }),
            ($"/products/{active}?handler=KeepSeats", new()),
            ($"/products/{active}/add-seats", new() { ["seats"] = "1", ["OrderId"] = Guid.NewGuid().ToString(), ["ExpectedPrice"] = "311.62" }),
            ($"/products/{active}/upgrade", new() { ["to"] = "vray-premium-annual", ["seats"] = "2", ["OrderId"] = Guid.NewGuid().ToString(), ["ExpectedPrice"] = "303.66" }),
            ($"/products/cart/{expired}", new() { ["seats"] = "1", ["OrderId"] = Guid.NewGuid().ToString(), ["ExpectedPrice"] = "550.00" }),
        };
        foreach (var (path, form) in posts)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await PostWithTokenFrom(intruder.Client, "/billing/information", path, form)).StatusCode);
        }
        var untouched = await factory.SubscriptionAsync(active);
        Assert.Equal((2, true, (int?)null), (untouched.Seats, untouched.AutoRenew, untouched.SeatsFromRenewal));
        Assert.False(await factory.InSubscriptions(db => db.Orders.AnyAsync(o => o.CustomerId == intruder.UserId)));
        Assert.Equal(0, Rows(await Page(intruder.Client, "/products")));
    }

    [Fact]
    public async Task Downloads_list_builds_of_products_with_an_active_subscription_only()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        Assert.Contains("Nothing to download yet", await Page(customer.Client, "/products/downloads"), StringComparison.Ordinal);
        await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 1, March1);
        await customer.GiveSubscriptionAsync("phoenix-annual", "EUR", 1, new DateOnly(2025, 5, 1), autoRenew: false, expired: true);

        var page = await Page(customer.Client, "/products/downloads");

        Assert.Contains("id=\"vray-solo\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"phoenix\"", page, StringComparison.Ordinal);
        Assert.True(DownloadButton().Count(page) >= 2, "a build per operating system");
        Assert.Contains("href=\"/products/downloads/vray-solo\" data-testid=\"row-download\"", await Page(customer.Client, "/products"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_billing_information_an_order_is_refused_with_the_reason_and_nothing_is_invoiced_or_listed()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);
        // Billing starts a profile from the sign-up event too: let that handler finish first, or it puts one back after the delete.
        await Eventually.Until(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<ChaosModular.Accounts.Data.AccountsDbContext>();
            return await accounts.OutboxMessages.AsNoTracking()
                .AnyAsync(m => m.Type.Contains("CustomerRegistered") && m.Payload.Contains(customer.UserId) && m.CompletedUtc != null);
        }, TimeSpan.FromSeconds(30), "the sign-up event handled by every module");
        await InBilling(db => db.Profiles.Where(p => p.CustomerId == customer.UserId).ExecuteDeleteAsync());

        var response = await customer.Client.SubmitAsync($"/products/{id}/add-seats?seats=1", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Add your billing information before buying.", PortalClient.Decode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(2, (await factory.SubscriptionAsync(id)).Seats);
        Assert.False(await InBilling(db => db.Invoices.AnyAsync(i => i.CustomerId == customer.UserId)));
        Assert.DoesNotContain("data-testid=\"orders\"", await Page(customer.Client, $"/products/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invoice_voided_after_an_unanswered_charge_cancels_its_order_so_a_late_payment_changes_nothing_and_renewals_are_left_to_the_job()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);
        var purchase = Order.Place(Guid.NewGuid(), customer.UserId, OrderKind.AddSeats, id, "vray-solo-annual", 1, "EUR", 470m, 311.62m, DateTime.UtcNow);
        var renewal = Order.Place(Guid.NewGuid(), customer.UserId, OrderKind.Renewal, id, "vray-solo-annual", 2, "EUR", 470m, 940m, DateTime.UtcNow, renewalOf: new DateOnly(2027, 3, 1));
        await factory.InSubscriptions(db => { db.Orders.AddRange(purchase, renewal); return db.SaveChangesAsync(); });
        Assert.Contains(factory.Services.GetServices<IntegrationEventSubscription>(), s => s.EventType == typeof(InvoiceVoided) && s.HandlerType == typeof(CancelOrderOnInvoiceVoided));

        foreach (var order in new[] { purchase, renewal })
        {
            await using var scope = factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<CancelOrderOnInvoiceVoided>().HandleAsync(
                new InvoiceVoided(Guid.NewGuid(), DateTime.UtcNow, Guid.NewGuid(), "INV-1", customer.UserId, order.SourceReference, "Your card was declined."), CancellationToken.None);
        }
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            Assert.False(await scope.ServiceProvider.GetRequiredService<CompleteOrder>().HandleAsync(purchase.Id, CancellationToken.None));
        }

        var cancelled = await factory.InSubscriptions(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == purchase.Id));
        Assert.Equal((OrderStatus.Cancelled, "Your card was declined."), (cancelled.Status, cancelled.CancelReason));
        Assert.Equal(OrderStatus.AwaitingPayment, (await factory.InSubscriptions(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == renewal.Id))).Status);
        Assert.Equal(2, (await factory.SubscriptionAsync(id)).Seats);
    }

    [Fact]
    public async Task The_products_pages_keep_their_addresses_and_link_to_each_other_and_to_billing_by_them()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);
        var expired = await customer.GiveSubscriptionAsync("phoenix-annual", "EUR", 1, new DateOnly(2025, 5, 1), autoRenew: false, expired: true);

        foreach (var path in new[] { SubscriptionsRoutes.Active, SubscriptionsRoutes.Expired, SubscriptionsRoutes.Downloads, SubscriptionsRoutes.Details(id) })
        {
            Assert.Equal(HttpStatusCode.OK, (await customer.Client.GetAsync(path)).StatusCode);
        }
        Assert.Equal($"/products/{id}", SubscriptionsRoutes.Details(id));
        var details = await Page(customer.Client, $"/products/{id}");
        Assert.Contains($"href=\"/products/{id}/add-seats\"", details, StringComparison.Ordinal);
        Assert.Contains($"href=\"/products/{id}/upgrade\"", details, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/products\">Active Products</a>", details, StringComparison.Ordinal);
        Assert.Contains("href=\"/billing/payment-methods\"", details, StringComparison.Ordinal);
        var expiredDetails = await Page(customer.Client, $"/products/{expired}");
        Assert.Contains("<a href=\"/products/expired\">Expired Products</a>", expiredDetails, StringComparison.Ordinal);
        Assert.Contains($"href=\"/products/cart/{expired}\"", expiredDetails, StringComparison.Ordinal);
        Assert.Contains($"href=\"/products/cart/{expired}\"", await Page(customer.Client, "/products/expired"), StringComparison.Ordinal);
        Assert.Contains($"href=\"/billing/payment-methods?returnUrl=%2Fproducts%2F{id}%2Fadd-seats%3Fseats%3D2\"",
            await Page(customer.Client, $"/products/{id}/add-seats?seats=2"), StringComparison.Ordinal);
        Assert.Contains($"href=\"/billing/payment-methods?returnUrl=%2Fproducts%2F{id}%2Fupgrade%3Fto%3Dvray-premium-annual%26seats%3D3\"",
            await Page(customer.Client, $"/products/{id}/upgrade?to=vray-premium-annual&seats=3"), StringComparison.Ordinal);
        var cart = await Page(customer.Client, $"/products/cart/{expired}?seats=2");
        Assert.Contains($"href=\"/billing/information?returnUrl=%2Fproducts%2Fcart%2F{expired}%3Fseats%3D2\"", cart, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/products/expired\">Expired Products</a>", cart, StringComparison.Ordinal);
    }

    /// <summary>Posts a form the page would not offer (a refused action, another customer's id) with a valid antiforgery token from another page.</summary>
    private static async Task<HttpResponseMessage> PostWithTokenFrom(PortalClient client, string tokenPage, string path, Dictionary<string, string> form)
    {
        var html = await client.GetPageAsync(tokenPage);
        var token = PortalClient.HiddenFields(html).First(f => f.Key == "__RequestVerificationToken");
        return await client.Http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(form.Append(token)));
    }

    [GeneratedRegex("data-testid=\"subscription-row\" data-subscription=\"([0-9a-f-]+)\"")]
    private static partial Regex SubscriptionId();

    [GeneratedRegex("data-testid=\"subscription-row\"")]
    private static partial Regex SubscriptionRow();

    [GeneratedRegex("data-testid=\"license-key\"")]
    private static partial Regex LicenseKey();

    [GeneratedRegex("data-testid=\"download\"")]
    private static partial Regex DownloadButton();
}
