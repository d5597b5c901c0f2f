using ChaosModular.E2E.Harness;
using ChaosModular.E2E.Pages;
using ChaosModular.E2E.Seeding;

namespace ChaosModular.E2E.Journeys;

/// <summary>
/// The portal on a phone (375 px): no page scrolls sideways, signed out or in, and a table wider than the screen scrolls
/// inside its own region, which the keyboard reaches and scrolls (axe-core's scrollable-region-focusable runs on each page).
/// </summary>
public sealed class PhoneWidthJourney(PortalFixture portal, ITestOutputHelper output) : PortalTest(portal, output)
{
    private static readonly string[] SignedOutPages = ["/sign-in", "/sign-up", "/forgot-password"];

    private static readonly string[] CustomerPages =
    [
        "/products", "/products/expired", "/products/downloads", "/products/cloud-credits", "/billing", "/billing/payment-methods",
        "/billing/information", "/licensing", "/licensing/servers", "/account", "/account/password", "/learning",
    ];

    [Fact]
    public Task Every_page_fits_a_phone_screen_and_wide_tables_scroll_in_their_own_keyboard_region() => JourneyAsync(async page =>
    {
        var customer = await SeedAsync(CustomerBuilder.For()
            .WithGermanBusiness("Phone Width Visualisation GmbH")
            .WithCard("4242")
            .WithSubscription("vray-premium-annual", "EUR", seats: 12, activatedDaysAgo: 40)
            .WithSubscription("vray-solo-annual", "EUR", seats: 3, activatedDaysAgo: 100)
            .WithSubscription("corona-solo-annual", "EUR", activatedDaysAgo: 10, autoRenew: false)
            .WithExpiredSubscription("vray-solo-annual", "EUR", seats: 2)
            .WithOpenInvoice("EUR", 1234.56m)
            .WithPaidInvoice("EUR", 116.50m)
            .WithCloudCredits(500m, used: 120m));
        await page.SetViewportSizeAsync(375, 800);

        foreach (var path in SignedOutPages)
        {
            await VisitAsync(page, path);
        }
        await ProductsJourney.SignInAsync(page, customer);
        foreach (var path in CustomerPages)
        {
            await VisitAsync(page, path);
        }

        // Active Products' table is wider than a phone: its region is named, focusable, and scrolls with the arrow keys.
        await page.GotoAsync("/products");
        var region = page.GetByRole(AriaRole.Region, new() { NameRegex = new System.Text.RegularExpressions.Regex(@"\(scrolls sideways\)$") }).First;
        await Expect(region).ToHaveAttributeAsync("tabindex", "0");
        await region.FocusAsync();
        for (var i = 0; i < 5; i++)
        {
            await page.Keyboard.PressAsync("ArrowRight");
        }
        await Eventually.HappensAsync(async () => await region.EvaluateAsync<double>("r => r.scrollLeft") > 0, "the table region scrolled with the keyboard", TimeSpan.FromSeconds(5));

        // On a wide screen the same table fits: no tab stop is added where nothing scrolls.
        await page.SetViewportSizeAsync(1400, 900);
        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator(".table-responsive[tabindex]").CountAsync());
    });

    private async Task VisitAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response is { Ok: true }, $"{path} answered {response?.Status}");
        await Accessibility.CheckAsync(page);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Output.WriteLine($"{path}: {overflow} px wider than the screen");
        Assert.True(overflow <= 0, $"{path} scrolls sideways by {overflow} px at 375 px");
    }
}
