using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Gateways;

namespace ChaosModular.UnitTests.Billing;

/// <summary>
/// On PostgreSQL, two tabs paying two invoices with the one credit that covers either: both have read the credit and
/// planned to spend it before either saves (the save of the spent credit is held until both arrived), so the race is
/// real. The credit's version lets one spend it; the other pays nothing and leaves its invoice open.
/// </summary>
public sealed class CreditSpendRaceTests
{
    private const string SpendsACredit = "UPDATE billing.credits";

    [Fact]
    public async Task Two_tabs_spending_one_credit_on_two_invoices_at_once_spend_it_once()
    {
        var hold = new RaceHold(2);
        var gateway = new CountingGateway();
        await using var factory = new PostgresPortalFactory
        {
            TestServices = services =>
            {
                services.AddSingleton<IPaymentGateway>(gateway);
                new SqlHold(BillingDbContext.Schema, sql => sql.Contains(SpendsACredit, StringComparison.Ordinal), hold).AddTo(services);
            },
        };
        var customer = await BillingCustomer.SignUpAsync(factory);
        await BillingScope.InBilling(factory, db =>
        {
            db.Credits.Add(Credit.Grant(customer.UserId, "EUR", 100m, "Refund", DateTime.UtcNow));
            return db.SaveChangesAsync();
        });
        var invoices = new[] { await customer.InvoiceAsync("EUR", 100m), await customer.InvoiceAsync("EUR", 100m) };
        var tabs = new List<(PortalClient Client, Guid InvoiceId, List<KeyValuePair<string, string>> Form)>();
        foreach (var invoice in invoices)
        {
            var tab = new PortalClient(factory.CreatePortalClient());
            Assert.Equal(System.Net.HttpStatusCode.Redirect, (await tab.SignInAsync(customer.Email, customer.Password)).StatusCode);
            var review = await tab.GetPageAsync($"/billing/pay?ids={invoice.InvoiceId}");
            Assert.Contains("data-testid=\"credit-applied\">− 100.00 EUR", review, StringComparison.Ordinal);
            tabs.Add((tab, invoice.InvoiceId, PortalClient.HiddenFields(review).DistinctBy(f => f.Key + f.Value).ToList()));
        }

        using var start = new SemaphoreSlim(0);
        var posts = tabs.Select(t => hold.RunAsync(async () =>
        {
            await start.WaitAsync();
            using var response = await customer.ConfirmPaymentAsync(t.InvoiceId, t.Form, t.Client);
            return PortalClient.Decode(await response.Content.ReadAsStringAsync());
        })).ToList();
        start.Release(tabs.Count);
        var pages = await Task.WhenAll(posts);

        hold.AssertRaced(held: 2);
        Assert.Single(pages, p => p.Contains("Credits applied: 100.00 EUR", StringComparison.Ordinal));
        Assert.Single(pages, p => p.Contains("Nothing was paid; the invoices are still open.", StringComparison.Ordinal));
        Assert.Equal(0, gateway.Charges);
        var credit = await BillingScope.InBilling(factory, db => db.Credits.AsNoTracking().SingleAsync(c => c.CustomerId == customer.UserId));
        Assert.Equal(0m, credit.Remaining);
        Assert.Equal(100m, await BillingScope.InBilling(factory, async db => (await db.CreditUses.Where(u => u.CreditId == credit.Id).Select(u => u.Amount).ToListAsync()).Sum()));
        var stored = await Task.WhenAll(invoices.Select(i => BillingScope.Stored(factory, i.InvoiceId)));
        Assert.Equal([InvoiceStatus.Open, InvoiceStatus.Paid], stored.Select(i => i.Status).Order());
        Assert.Equal(100m, stored.Sum(i => i.AmountPaid));
    }
}
