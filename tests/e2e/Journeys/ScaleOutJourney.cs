using ChaosModular.E2E.Harness;
using ChaosModular.E2E.Pages;
using ChaosModular.E2E.Seeding;

namespace ChaosModular.E2E.Journeys;

/// <summary>
/// Several instances behind a load balancer (issue 12, point 14): two Web processes and two Worker processes on one
/// PostgreSQL database (<see cref="ScaleOutPortalFixture"/>). A session and a form from one Web work on the other (the
/// data-protection keys live in the database), and with both Workers running the renewal job, every due subscription is
/// renewed, invoiced and charged exactly once.
/// </summary>
[Collection(ScaleOutPortalCollection.Name)]
public sealed class ScaleOutJourney(ScaleOutPortalFixture portal, ITestOutputHelper output) : JourneyTest(portal, output)
{
    private const int Customers = 24;

    private new ScaleOutPortalFixture Portal { get; } = portal;

    [Fact]
    public Task A_session_and_a_form_from_one_web_work_on_the_other_and_two_workers_renew_each_due_subscription_once() => JourneyAsync(async page =>
    {
        var customers = new List<SeededCustomer>();
        for (var i = 0; i < Customers; i++)
        {
            customers.Add(await SeedAsync(CustomerBuilder.For().Named($"Scale Customer {i:00}")
                .WithGermanBusiness("Scale Studio GmbH").WithCard("4242")
                .WithSubscriptionRenewingIn(1, "vray-premium-annual", "EUR", seats: 2)));
        }
        var first = customers[0];

        // Signed in on the first Web...
        await (await SignInPage.OpenAsync(page)).SignInAsync(first.Email, first.Password);
        // ...the same browser session is signed in on the second one.
        await page.GotoAsync(new Uri(Portal.SecondBaseUrl, "/account").ToString());
        var account = new AccountPage(page);
        await account.ExpectOpenAsync();
        Assert.StartsWith(Portal.SecondBaseUrl.ToString(), page.Url, StringComparison.Ordinal);
        await Expect(account.Email).ToHaveValueAsync(first.Email);

        // A form rendered by the first Web posts to the second: its antiforgery token, put in the second's form, is accepted.
        await page.GotoAsync(new Uri(Portal.BaseUrl, "/account").ToString());
        var token = page.Locator("main form:has(button:text('Save profile')) input[name='__RequestVerificationToken']");
        var fromFirst = await token.InputValueAsync();
        await page.GotoAsync(new Uri(Portal.SecondBaseUrl, "/account").ToString());
        Assert.NotEqual(fromFirst, await token.InputValueAsync());
        await token.EvaluateAsync("(input, value) => input.value = value", fromFirst);
        await account.FullName.FillAsync("Scale Customer Renamed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();
        await Expect(account.Flash).ToContainTextAsync("Your profile was saved.");
        Assert.StartsWith(Portal.SecondBaseUrl.ToString(), page.Url, StringComparison.Ordinal);
        await page.GotoAsync(new Uri(Portal.BaseUrl, "/account").ToString());
        await Expect(account.FullName).ToHaveValueAsync("Scale Customer Renamed");

        // Tomorrow every subscription falls due; the second Worker starts and triggers the renewal run, and both Workers
        // take its drain jobs.
        var ids = string.Join(',', customers.SelectMany(c => c.SubscriptionIds).Select(id => $"'{id}'"));
        var renewsOn = Portal.Today.AddDays(1);
        Assert.Equal([Customers.ToString(System.Globalization.CultureInfo.InvariantCulture)], await Portal.Database.QueryAsync(
            $"SELECT count(*) FROM subscriptions.subscriptions WHERE \"Id\" IN ({ids}) AND \"RenewsOn\" = '{renewsOn:yyyy-MM-dd}'"));
        Portal.MoveClockTo(1);
        var worker = await Portal.StartSecondWorkerAsync("subscriptions-renewals");
        var nextYear = renewsOn.AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.HappensAsync(async () =>
            (await Portal.Database.QueryAsync($"SELECT count(*) FROM subscriptions.subscriptions WHERE \"Id\" IN ({ids}) AND \"RenewsOn\" = '{nextYear}'"))[0] == Customers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"all {Customers} subscriptions renewed to {nextYear}", TimeSpan.FromSeconds(120));

        // Once each: one renewal order, one invoice and one successful payment per customer, nothing left pending.
        var orders = await Portal.Database.QueryAsync(
            $"SELECT count(*) FROM subscriptions.orders WHERE \"Kind\" = 'Renewal' AND \"SubscriptionId\" IN ({ids}) GROUP BY \"SubscriptionId\"");
        Assert.Equal(Enumerable.Repeat("1", Customers), orders);
        var customerIds = $"SELECT \"CustomerId\" FROM subscriptions.subscriptions WHERE \"Id\" IN ({ids})";
        var invoices = await Portal.Database.QueryAsync($"SELECT count(*) FROM billing.invoices WHERE \"CustomerId\" IN ({customerIds}) GROUP BY \"CustomerId\"");
        Assert.Equal(Enumerable.Repeat("1", Customers), invoices);
        var payments = await Portal.Database.QueryAsync(
            $"SELECT string_agg(\"Status\", ',' ORDER BY \"Status\") FROM billing.payments WHERE \"CustomerId\" IN ({customerIds}) GROUP BY \"CustomerId\"");
        Assert.Equal(Enumerable.Repeat("Succeeded", Customers), payments);

        var servers = await Portal.HangfireServersAsync();
        Assert.Contains(servers, s => s.Contains($":worker:{Portal.Worker.Id}:", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(servers, s => s.Contains($":worker:{worker.Id}:", StringComparison.OrdinalIgnoreCase));
        Output.WriteLine($"Servers that processed jobs: {string.Join(", ", await Portal.ServersThatProcessedJobsAsync())}");
    });
}
