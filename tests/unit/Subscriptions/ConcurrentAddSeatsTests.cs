using System.Net;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.UnitTests.Billing;

namespace ChaosModular.UnitTests.Subscriptions;

/// <summary>On PostgreSQL: add-seat orders placed at once each charge and add exactly once; never more seats than paid for.</summary>
public sealed class ConcurrentAddSeatsTests(PostgresPortalFactory factory) : IClassFixture<PostgresPortalFactory>
{
    private const int Tabs = 6;

    [Fact]
    public async Task Separate_orders_from_many_tabs_each_charge_once_and_add_their_seats()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 1);
        var forms = new List<(PortalClient Client, List<KeyValuePair<string, string>> Form)>();
        for (var i = 0; i < Tabs; i++)
        {
            var tab = new PortalClient(factory.CreatePortalClient());
            Assert.Equal(HttpStatusCode.Redirect, (await tab.SignInAsync(customer.Email, customer.Password)).StatusCode);
            var review = await tab.GetPageAsync($"/products/{id}/add-seats?seats=1");
            forms.Add((tab, PortalClient.HiddenFields(review).DistinctBy(f => f.Key + f.Value).ToList()));
        }

        var responses = await AllAtOnce(forms.Select(f => (f.Client, $"/products/{id}/add-seats", f.Form)).ToList());

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r));
        Assert.Equal(1 + Tabs, (await factory.SubscriptionAsync(id)).Seats);
        await using var scope = factory.Services.CreateAsyncScope();
        var billing = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var payments = await billing.Payments.Where(p => p.CustomerId == customer.UserId).ToListAsync();
        Assert.Equal(Tabs, payments.Count(p => p.Status == PaymentStatus.Succeeded));
        Assert.Equal(Tabs, await billing.Invoices.CountAsync(i => i.CustomerId == customer.UserId && i.Status == InvoiceStatus.Paid));
    }

    [Fact]
    public async Task A_double_clicked_confirm_places_one_order_charges_once_and_adds_the_seats_once()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2);
        var review = await customer.Client.GetPageAsync($"/products/{id}/add-seats?seats=3");
        var form = PortalClient.HiddenFields(review).DistinctBy(f => f.Key + f.Value).ToList();

        await AllAtOnce(Enumerable.Range(0, 4).Select(_ => (customer.Client, $"/products/{id}/add-seats", form)).ToList());

        Assert.Equal(5, (await factory.SubscriptionAsync(id)).Seats);
        Assert.Single(await factory.InSubscriptions(db => db.Orders.Where(o => o.SubscriptionId == id).ToListAsync()));
        await using var scope = factory.Services.CreateAsyncScope();
        var payment = Assert.Single(await scope.ServiceProvider.GetRequiredService<BillingDbContext>().Payments.Where(p => p.CustomerId == customer.UserId).ToListAsync());
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
    }

    [Fact]
    public async Task The_page_and_the_invoice_paid_handler_completing_one_order_at_once_apply_it_once()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 1);
        var orderId = Guid.NewGuid();
        await factory.InSubscriptions(async db =>
        {
            db.Orders.Add(Order.Place(orderId, customer.UserId, OrderKind.AddSeats, id, "vray-solo-annual", 2, "EUR", 470m, 100m, DateTime.UtcNow));
            return await db.SaveChangesAsync();
        });

        var applied = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ChaosModular.Subscriptions.Features.CompleteOrder>().HandleAsync(orderId, CancellationToken.None);
        }));

        Assert.Equal(1, applied.Count(a => a));
        Assert.Equal(3, (await factory.SubscriptionAsync(id)).Seats);
    }

    private static async Task<HttpStatusCode[]> AllAtOnce(IReadOnlyList<(PortalClient Client, string Path, List<KeyValuePair<string, string>> Form)> posts)
    {
        using var start = new SemaphoreSlim(0);
        var tasks = posts.Select(async p =>
        {
            await start.WaitAsync();
            return (await p.Client.Http.PostAsync(new Uri(p.Path, UriKind.Relative), new FormUrlEncodedContent(p.Form))).StatusCode;
        }).ToList();
        start.Release(posts.Count);
        return await Task.WhenAll(tasks);
    }
}
