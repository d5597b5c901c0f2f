using System.Net;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.Subscriptions.Jobs;
using ChaosModular.UnitTests.Billing;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Subscriptions;

/// <summary>The guide's "Upgrade" and "Added seats": what a customer bought during the term is what the next renewal charges.</summary>
public sealed class RenewalAfterChangeTests
{
    private static readonly DateOnly March1 = new(2026, 3, 1);        // an annual subscription from here renews on 2027-03-01
    private static readonly DateOnly RenewalDay = new(2027, 3, 1);

    [Fact]
    public async Task After_an_upgrade_and_added_seats_the_next_renewal_charges_the_new_price_for_all_seats()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 2, 10, 0, 0, TimeSpan.Zero));
        await using var factory = new SqlitePortalFactory { Clock = clock };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);   // 2 seats x 470.00 EUR

        Assert.Equal(HttpStatusCode.Redirect, (await customer.Client.SubmitAsync($"/products/{id}/upgrade?to=vray-premium-annual&seats=2", new Dictionary<string, string>())).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await customer.Client.SubmitAsync($"/products/{id}/add-seats?seats=1", new Dictionary<string, string>())).StatusCode);
        var changed = await factory.SubscriptionAsync(id);
        Assert.Equal(("vray-premium-annual", 3, RenewalDay), (changed.PlanCode, changed.Seats, changed.RenewsOn));

        clock.SetUtcNow(new DateTimeOffset(RenewalDay.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RenewalJob>().RunAsync(CancellationToken.None);
        }

        var order = await factory.InSubscriptions(db => db.Orders.AsNoTracking().SingleAsync(o => o.SubscriptionId == id && o.Kind == OrderKind.Renewal));
        Assert.Equal(OrderStatus.Completed, order.Status);
        await using var billing = factory.Services.CreateAsyncScope();
        var db = billing.ServiceProvider.GetRequiredService<BillingDbContext>();
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleAsync(i => i.Id == order.InvoiceId);
        var line = Assert.Single(invoice.Lines);
        Assert.Equal(("V-Ray Premium, annual renewal", 3m, 699m), (line.Description, line.Quantity, line.UnitPrice));
        Assert.Equal((InvoiceStatus.Paid, 2097m, "EUR"), (invoice.Status, invoice.Subtotal, invoice.Currency));   // 3 x 699, not 2 x 470 nor 3 x 470
        var charge = await db.Payments.AsNoTracking().Include(p => p.Allocations).SingleAsync(p => p.Allocations.Any(a => a.InvoiceId == invoice.Id));
        Assert.Equal((PaymentStatus.Succeeded, invoice.Total), (charge.Status, charge.Amount));
        var renewed = await factory.SubscriptionAsync(id);
        Assert.Equal((3, 699m, new DateOnly(2028, 3, 1)), (renewed.Seats, renewed.PricePerSeat, renewed.RenewsOn));
    }
}
