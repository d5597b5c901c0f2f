using System.Text.RegularExpressions;
using ChaosModular.E2E.Harness;
using ChaosModular.E2E.Pages;

namespace ChaosModular.E2E.Journeys;

/// <summary>
/// Active Products sorted by its column headers (from the keyboard, the sort kept in the address and announced with
/// aria-sort), and a row's Download button going straight to that product's builds, the visitor's system first.
/// </summary>
public sealed class ProductSortingJourney(PortalFixture portal, ITestOutputHelper output) : PortalTest(portal, output)
{
    [Fact]
    public Task Sorts_active_products_by_product_and_seats_from_the_keyboard_then_downloads_a_rows_builds() => JourneyAsync(async page =>
    {
        var products = await ProductsJourney.SignInAsync(page, await SeedAsync(ProductsJourney.Paying()
            .WithSubscription("vray-solo-annual", "EUR", seats: 3, activatedDaysAgo: 100)
            .WithSubscription("corona-solo-monthly", "EUR", seats: 1, activatedDaysAgo: 10)
            .WithSubscription("phoenix-annual", "EUR", seats: 2, activatedDaysAgo: 200)));

        await products.SortByKeyboardAsync("product");
        await Expect(products.SortedHeader).ToHaveAttributeAsync("aria-sort", "ascending");
        await Expect(products.SortedHeader).ToContainTextAsync("Product");
        await Expect(products.Rows.GetByTestId("product-name")).ToHaveTextAsync(["Corona Solo", "Phoenix", "V-Ray Solo"]);

        await products.SortByKeyboardAsync("product");   // the same header again: the other way
        await Expect(page).ToHaveURLAsync(new Regex("dir=desc"));
        await Expect(products.SortedHeader).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(products.Rows.GetByTestId("product-name")).ToHaveTextAsync(["V-Ray Solo", "Phoenix", "Corona Solo"]);

        await products.SortByKeyboardAsync("seats");
        await Expect(products.SortedHeader).ToContainTextAsync("Seats");
        await Expect(products.Rows.GetByTestId("seats")).ToHaveTextAsync(["1", "2", "3"]);

        // The sort survives a reload (it is in the address).
        await page.ReloadAsync();
        await Expect(products.Rows.GetByTestId("product-name")).ToHaveTextAsync(["Corona Solo", "Phoenix", "V-Ray Solo"]);

        // A row's Download: that product's builds, this browser's system (Linux) first, with the vendor's page as a secondary link.
        await products.Row("V-Ray Solo").Locator.GetByTestId("row-download").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/products/downloads/vray-solo$"));
        await Accessibility.CheckAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Download V-Ray Solo");
        var builds = page.GetByTestId("build");
        await Expect(builds.First).ToHaveAttributeAsync("data-os", "Linux");
        await Expect(builds.First).ToContainTextAsync("Your system");
        await Expect(builds.First.GetByTestId("build-size")).ToHaveTextAsync(new Regex(@"^\d+(\.\d)? (MB|GB)$"));
        await Expect(page.GetByTestId("vendor-downloads")).ToHaveTextAsync("All Chaos downloads");
    });
}
