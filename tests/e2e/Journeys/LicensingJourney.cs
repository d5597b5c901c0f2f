using ChaosModular.E2E.Harness;
using ChaosModular.E2E.Pages;
using ChaosModular.E2E.Seeding;

namespace ChaosModular.E2E.Journeys;

/// <summary>
/// A customer's licenses, end to end: the subscriptions a customer has reach Licensing through the outbox (the Worker
/// runs the handlers), and Licensing › Licenses shows each with its type, seats, availability and expiry.
/// </summary>
public sealed class LicensingJourney(PortalFixture portal, ITestOutputHelper output) : PortalTest(portal, output)
{
    [Fact]
    public Task Sees_a_license_per_subscription_with_its_availability_filters_them_and_opens_one() => JourneyAsync(async page =>
    {
        var customer = await SeedAsync(CustomerBuilder.For()
            .WithSubscription("vray-solo-annual", "EUR", seats: 3, activatedDaysAgo: 100)
            .WithSubscription("enscape-fixed-monthly", "USD", seats: 2, activatedDaysAgo: 40)
            .WithSubscription("corona-solo-monthly", "EUR", activatedDaysAgo: 75)
            .WithCloudCredits(500m, used: 120.5m));
        await ProductsJourney.SignInAsync(page, customer);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main menu" }).GetByRole(AriaRole.Link, new() { Name = "Licensing", Exact = true }).ClickAsync();
        var licenses = new LicensesPage(page);
        await licenses.ExpectOpenAsync();
        // The Worker makes the licenses from the subscription events; the page shows them once it has.
        await Eventually.HappensAsync(async () =>
        {
            await licenses.GotoAsync();
            return await licenses.Rows.CountAsync() == customer.ActiveSubscriptionCount;
        }, "a license per active subscription");
        await Expect(licenses.ServerSetupLink).ToHaveAttributeAsync("target", "_blank");

        var vray = licenses.Row("V-Ray Solo");
        await Expect(vray.LicenseType).ToHaveTextAsync("Floating workstation");
        await Expect(vray.Quantity).ToHaveTextAsync("3");
        await Expect(vray.Available).ToHaveTextAsync("3");
        await Expect(vray.State).ToHaveTextAsync("Active");
        await Expect(licenses.Row("Enscape Fixed Seat").LicenseType).ToHaveTextAsync("Fixed seat");

        await licenses.FilterAsync(family: "Enscape");
        await Expect(licenses.Rows).ToHaveCountAsync(1);
        await Expect(licenses.Row("Enscape Fixed Seat").Quantity).ToHaveTextAsync("2");

        await licenses.FilterAsync(family: "All families", state: "Expired");
        await Expect(licenses.Rows).ToHaveCountAsync(0);
        await Expect(page.GetByText("No license matches")).ToBeVisibleAsync();

        await licenses.FilterAsync(state: "Active");
        await Expect(licenses.Rows).ToHaveCountAsync(customer.ActiveSubscriptionCount);
        var details = await licenses.OpenAsync("V-Ray Solo");
        await Expect(details.GetByTestId("license-product")).ToHaveTextAsync("V-Ray Solo");
        await Expect(details.GetByTestId("quantity")).ToHaveTextAsync("3 seat(s)");
        await Expect(details.GetByTestId("available-count")).ToHaveTextAsync("3");
        await Expect(details.GetByTestId("seats-unused")).ToContainTextAsync("all 3 seat(s) are free");

        // The license's seats in use over 30 days, as a picture and, on request, as a table: none used yet.
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Seats of V-Ray Solo in use over the last 30 days" })).ToBeVisibleAsync();
        await page.GetByTestId("seats-chart-details").GetByText("Show as table").ClickAsync();
        await Expect(page.GetByTestId("seats-chart-table").GetByTestId("chart-row")).ToHaveCountAsync(30);
        await Expect(page.GetByTestId("seats-chart-table").GetByTestId("chart-row").Last.Locator("td")).ToHaveTextAsync("0");

        // Products › Cloud Credits: next to the balance, the credits used per month over 12 months.
        var credits = new CloudCreditsPage(page);
        await credits.GotoAsync();
        await Expect(credits.Remaining).ToHaveTextAsync("379.5");
        await Expect(credits.Chart).ToBeVisibleAsync();
        var months = await credits.ChartTableRowsAsync();
        await Expect(months).ToHaveCountAsync(12);
        await Expect(months.Last.Locator("td")).ToHaveTextAsync("120.5");   // this month's rendering
        await Expect(months.First.Locator("td")).ToHaveTextAsync("0");
    });
}
