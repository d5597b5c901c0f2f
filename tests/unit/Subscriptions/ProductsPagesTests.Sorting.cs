using System.Text.RegularExpressions;
using ChaosModular.UnitTests.Billing;

namespace ChaosModular.UnitTests.Subscriptions;

/// <summary>Active and Expired Products sort by their columns, with the sort in the URL kept by the filters and the pager.</summary>
public partial class ProductsPagesTests
{
    [Fact]
    public async Task Active_products_sort_by_a_column_in_the_database_across_pages_with_aria_sort_and_the_sort_kept_by_pager_and_filters()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        for (var i = 0; i < 30; i++)
        {
            await customer.GiveSubscriptionAsync("vray-solo-monthly", "EUR", i + 1, new DateOnly(2026, 6, 3).AddDays(i % 28));
        }
        var vantage = await customer.GiveSubscriptionAsync("vantage-annual", "EUR", 40, new DateOnly(2026, 4, 1));
        var corona = await customer.GiveSubscriptionAsync("corona-solo-monthly", "EUR", 35, new DateOnly(2026, 7, 1));

        var bySeats = await Page(customer.Client, "/products?sort=seats&dir=desc");
        IEnumerable<int> firstPage = [40, 35, .. Enumerable.Range(8, 23).Reverse()];
        Assert.Equal(firstPage, Seats(bySeats));
        Assert.Equal(Enumerable.Range(1, 7).Reverse(), Seats(await Page(customer.Client, "/products?sort=seats&dir=desc&p=2")));
        Assert.Contains("href=\"/products?sort=seats&dir=desc&p=2\"", bySeats, StringComparison.Ordinal);
        Assert.Equal("seats", Assert.Single(AriaSorted(bySeats)).Key);
        Assert.Equal("descending", AriaSorted(bySeats)[0].Value);
        Assert.Contains("href=\"/products?sort=seats\" data-testid=\"sort-seats\"", bySeats, StringComparison.Ordinal);   // the sorted column turns around
        Assert.Contains("<input type=\"hidden\" name=\"sort\" value=\"seats\" />", bySeats, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"dir\" value=\"desc\" />", bySeats, StringComparison.Ordinal);

        // By the product's name, not its code: Chaos Vantage (code "vantage") before Corona Solo before V-Ray Solo.
        var byProduct = await Page(customer.Client, "/products?sort=product");
        Assert.Equal(new[] { vantage.ToString(), corona.ToString() }, SubscriptionIds(byProduct).Take(2));
        Assert.Equal(vantage.ToString(), SubscriptionIds(await Page(customer.Client, "/products?sort=product&dir=desc&p=2")).Last());
        Assert.Equal("ascending", Assert.Single(AriaSorted(byProduct)).Value);

        // Filters and sort together, and the header links keep the filters.
        var filtered = await Page(customer.Client, "/products?currency=EUR&sort=activated&dir=desc");
        Assert.Equal(corona.ToString(), SubscriptionIds(filtered).First());
        Assert.Contains("href=\"/products?currency=EUR&sort=product\" data-testid=\"sort-product\"", filtered, StringComparison.Ordinal);
        Assert.Contains("href=\"/products?currency=EUR&sort=activated&dir=desc&p=2\"", filtered, StringComparison.Ordinal);

        // A column not on the whitelist sorts as the list always did: the soonest renewal first.
        var unknown = await Page(customer.Client, "/products?sort=CustomerId&dir=sideways");
        Assert.Equal(SubscriptionIds(await Page(customer.Client, "/products")), SubscriptionIds(unknown));
        Assert.Equal(("expires", "ascending"), (Assert.Single(AriaSorted(unknown)).Key, AriaSorted(unknown)[0].Value));
    }

    [Fact]
    public async Task Expired_products_sort_by_seats_and_activation_and_default_to_the_latest_end_first()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var older = await customer.GiveSubscriptionAsync("phoenix-annual", "USD", 3, new DateOnly(2024, 5, 1), autoRenew: false, expired: true);
        var newer = await customer.GiveSubscriptionAsync("phoenix-annual", "USD", 1, new DateOnly(2025, 2, 1), autoRenew: false, expired: true);
        var middle = await customer.GiveSubscriptionAsync("corona-solo-annual", "USD", 2, new DateOnly(2024, 9, 1), autoRenew: false, expired: true);

        var byDefault = await Page(customer.Client, "/products/expired");
        Assert.Equal(new[] { newer.ToString(), middle.ToString(), older.ToString() }, SubscriptionIds(byDefault));
        Assert.Equal(("expires", "descending"), (Assert.Single(AriaSorted(byDefault)).Key, AriaSorted(byDefault)[0].Value));
        Assert.Equal(new[] { newer.ToString(), middle.ToString(), older.ToString() }, SubscriptionIds(await Page(customer.Client, "/products/expired?sort=seats")));
        Assert.Equal(new[] { older.ToString(), middle.ToString(), newer.ToString() }, SubscriptionIds(await Page(customer.Client, "/products/expired?sort=activated")));
        Assert.Equal(new[] { older.ToString(), middle.ToString(), newer.ToString() }, SubscriptionIds(await Page(customer.Client, "/products/expired?dir=asc")));
        Assert.Equal(new[] { middle.ToString(), newer.ToString(), older.ToString() }, SubscriptionIds(await Page(customer.Client, "/products/expired?sort=product")));
    }

    private static List<int> Seats(string html) => SeatsCell().Matches(html).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    private static List<KeyValuePair<string, string>> AriaSorted(string html) =>
        AriaSortHeader().Matches(html).Select(m => new KeyValuePair<string, string>(m.Groups[2].Value, m.Groups[1].Value)).ToList();

    [GeneratedRegex("data-testid=\"seats\">\\s*(\\d+)")]
    private static partial Regex SeatsCell();

    [GeneratedRegex("aria-sort=\"([a-z]+)\">\\s*<a class=\"sort-link\" href=\"[^\"]*\" data-testid=\"sort-([a-z]+)\"")]
    private static partial Regex AriaSortHeader();
}
