using System.Net;
using System.Text.Json;
using ChaosModular.Billing.Domain;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Billing.Gateways;
using ChaosModular.Billing.Jobs;
using ChaosModular.Notifications.Data;
using ChaosModular.Subscriptions.Contracts.Events;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.Subscriptions.Features;
using ChaosModular.Subscriptions.IntegrationEventHandlers;
using ChaosModular.UnitTests.Billing;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Subscriptions;

/// <summary>
/// An upgrade priced for 3 seats is still waiting for its payment when the subscription has 5: applying it would set the
/// seats back to 3 (two paid seats lost). Seat changes are refused while it waits; if the seats changed anyway (an
/// add-seats order placed before it and paid first), the paid upgrade is not applied and what was paid goes to the
/// customer's unapplied credits, with the reason on the invoice list and one email, once however often the event comes.
/// </summary>
public sealed class UpgradeWithSeatsChangedTests
{
    private static readonly DateOnly March1 = new(2026, 3, 1);

    [Fact]
    public async Task An_upgrade_paid_after_seats_were_added_keeps_the_seats_and_credits_what_was_paid_once_with_the_reason_and_one_email()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 2, 10, 0, 0, TimeSpan.Zero));
        var gateway = new GatewayOutageTests.FlakyGateway();
        await using var factory = new SqlitePortalFactory { Clock = clock, TestServices = s => s.AddSingleton<IPaymentGateway>(gateway) };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 3, March1);
        // An add-seats order placed a moment before the upgrade, its payment not recorded yet.
        var addSeats = Order.Place(Guid.NewGuid(), customer.UserId, OrderKind.AddSeats, id, "vray-solo-annual", 2, "EUR", 470m, 623.23m, clock.GetUtcNow().UtcDateTime);
        await factory.InSubscriptions(db => { db.Orders.Add(addSeats); return db.SaveChangesAsync(); });

        // The upgrade for the 3 seats it has; the payment service does not answer, so the order waits for its payment.
        gateway.Down = true;
        var upgrade = await customer.Client.SubmitAsync($"/products/{id}/upgrade?to=vray-premium-annual&seats=3", new Dictionary<string, string>());
        var order = await factory.InSubscriptions(db => db.Orders.AsNoTracking().SingleAsync(o => o.SubscriptionId == id && o.Kind == OrderKind.Upgrade));
        Assert.Equal((HttpStatusCode.Redirect, $"/products/orders/{order.Id}"), (upgrade.StatusCode, upgrade.Headers.Location?.OriginalString));
        Assert.Equal((OrderStatus.AwaitingPayment, 3, (int?)3), (order.Status, order.Seats, order.FromSeats));
        gateway.Down = false;

        // Meanwhile the customer cannot change seats, and the page says why.
        Assert.Contains(OpenUpgrades.Message, PortalClient.Decode(await customer.Client.GetPageAsync($"/products/{id}/add-seats?seats=2")), StringComparison.Ordinal);
        var add = await customer.Client.SubmitAsync($"/products/{id}/add-seats?seats=2", new Dictionary<string, string>());
        var reduce = await customer.Client.SubmitAsync($"/products/{id}?handler=ReduceSeats", new Dictionary<string, string> { ["seats"] = "1" });
        Assert.Equal((HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity), (add.StatusCode, reduce.StatusCode));
        Assert.Contains(OpenUpgrades.Message, PortalClient.Decode(await add.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Contains(OpenUpgrades.Message, PortalClient.Decode(await reduce.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal((3, (int?)null), ((await factory.SubscriptionAsync(id)).Seats, (await factory.SubscriptionAsync(id)).SeatsFromRenewal));

        // The earlier add-seats order is paid first: 5 seats. Then the upgrade's payment is confirmed.
        await Complete(factory, addSeats.Id);
        Assert.Equal(5, (await factory.SubscriptionAsync(id)).Seats);
        clock.Advance(TimeSpan.FromMinutes(10));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PendingPaymentsJob>().RunAsync(CancellationToken.None);
        }
        await Complete(factory, order.Id);   // as the InvoicePaid handler does (whichever comes first applies it)

        var subscription = await factory.SubscriptionAsync(id);
        Assert.Equal(("vray-solo-annual", 5, 470m), (subscription.PlanCode, subscription.Seats, subscription.PricePerSeat));
        Assert.Equal(OrderStatus.Completed, (await factory.InSubscriptions(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id))).Status);

        // The event, delivered twice (a retried job): one credit of what was paid, one email.
        var announced = await factory.InSubscriptions(db => db.OutboxMessages.AsNoTracking().Where(m => m.Type.EndsWith(nameof(PaidOrderNotApplied))).ToListAsync());
        var notApplied = JsonSerializer.Deserialize<PaidOrderNotApplied>(Assert.Single(announced).Payload)!;
        Assert.Equal(order.Id, notApplied.OrderId);
        for (var delivery = 0; delivery < 2; delivery++)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<RefundOnPaidOrderNotApplied>().HandleAsync(notApplied, CancellationToken.None);
        }

        var invoice = await BillingScope.InBilling(factory, db => db.Invoices.AsNoTracking().SingleAsync(i => i.SourceReference == order.SourceReference));
        Assert.Equal(InvoiceStatus.Paid, invoice.Status);
        var credit = Assert.Single(await BillingScope.InBilling(factory, db => db.Credits.AsNoTracking().Where(c => c.CustomerId == customer.UserId).ToListAsync()));
        var reason = $"Invoice {invoice.Number}: the upgrade was priced for 3 seat(s), but the subscription had 5 when it was paid, so it was not applied.";
        Assert.Equal((invoice.AmountPaid, invoice.Total, "EUR", reason), (credit.Amount, credit.Remaining, credit.Currency, credit.Reason));
        var invoices = PortalClient.Decode(await customer.Client.GetPageAsync("/billing"));
        Assert.Contains(reason, invoices, StringComparison.Ordinal);
        Assert.Contains($"{new Money(credit.Amount, "EUR")}", invoices, StringComparison.Ordinal);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var emails = await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails.AsNoTracking()
                .Where(e => e.ToAddress == customer.Email && e.Template == "credit-granted").ToListAsync();
            Assert.Single(emails);
        }
        // The order's status page says the same; the credit email is the only one (no "your order is complete").
        var orderPage = PortalClient.Decode(await customer.Client.GetPageAsync($"/products/orders/{order.Id}"));
        Assert.Contains("Paid, but not applied.", orderPage, StringComparison.Ordinal);
        Assert.Contains($"{reason} What you paid is on your unapplied credits", orderPage, StringComparison.Ordinal);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CompleteOrderOnInvoicePaid>().HandleAsync(
                new ChaosModular.Billing.Contracts.Events.InvoicePaid(Guid.NewGuid(), DateTime.UtcNow, invoice.Id, invoice.Number, customer.UserId, order.SourceReference), CancellationToken.None);
            Assert.False(await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails.AnyAsync(e => e.ToAddress == customer.Email && e.Template == "order-completed"));
        }
    }

    private static async Task Complete(PortalFactory factory, Guid orderId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CompleteOrder>().HandleAsync(orderId, CancellationToken.None);
    }
}
