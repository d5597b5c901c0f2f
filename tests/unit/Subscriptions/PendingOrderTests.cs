using System.Net;
using ChaosModular.Billing.Contracts.Events;
using ChaosModular.Billing.Gateways;
using ChaosModular.Billing.Jobs;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Notifications.Data;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.Subscriptions.IntegrationEventHandlers;
using ChaosModular.UnitTests.Billing;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Subscriptions;

/// <summary>
/// The guide's pending purchases: a purchase whose payment the payment service has not answered goes to the order's own
/// status page (what was ordered, that the payment is being confirmed, refreshing itself), and the customer is emailed
/// once when it completes or fails — on the event path, when the late answer arrives.
/// </summary>
public sealed class PendingOrderTests
{
    private static readonly DateOnly March1 = new(2026, 3, 1);

    [Fact]
    public async Task An_unanswered_purchase_shows_its_status_page_until_the_late_payment_completes_it_then_the_customer_is_emailed_once()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 2, 10, 0, 0, TimeSpan.Zero));
        await using var factory = new SqlitePortalFactory { Clock = clock };
        // The Simulated gateway's "no answer" card: the first attempt of a charge times out, asked again it pays.
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000000119");
        var stranger = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);

        var response = await customer.Client.SubmitAsync($"/products/{id}/add-seats?seats=3", new Dictionary<string, string>());

        var order = await factory.InSubscriptions(db => db.Orders.AsNoTracking().SingleAsync(o => o.SubscriptionId == id));
        Assert.Equal((HttpStatusCode.Redirect, $"/products/orders/{order.Id}"), (response.StatusCode, response.Headers.Location?.OriginalString));
        Assert.Equal((OrderStatus.AwaitingPayment, clock.GetUtcNow().UtcDateTime), (order.Status, order.PaymentUnansweredUtc));
        var waiting = PortalClient.Decode(await customer.Client.GetPageAsync($"/products/orders/{order.Id}"));
        Assert.Contains("data-status=\"AwaitingPayment\"", waiting, StringComparison.Ordinal);
        Assert.Contains("Your payment is being confirmed.", waiting, StringComparison.Ordinal);
        Assert.Contains($"The order completes as soon as invoice {order.InvoiceNumber} is paid, and we email you when it completes or fails.", waiting, StringComparison.Ordinal);
        Assert.Contains("data-reload-after=\"5000\"", waiting, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"order-what\">3 added seat(s) of V-Ray Solo<", waiting, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"order-amount\">{new Money(order.Amount, "EUR")}<", waiting, StringComparison.Ordinal);
        Assert.True(order.Amount > 0);
        Assert.Equal(2, (await factory.SubscriptionAsync(id)).Seats);
        Assert.Contains($"href=\"/products/orders/{order.Id}\" data-testid=\"order-link\">Payment being confirmed<",
            await customer.Client.GetPageAsync($"/products/{id}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/products/orders/{order.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.Client.GetAsync($"/products/orders/{Guid.NewGuid()}")).StatusCode);

        // The payment service answers when the unanswered-payments job asks again; InvoicePaid completes the order.
        clock.Advance(TimeSpan.FromMinutes(6));
        await RunPendingPaymentsJobAsync(factory);
        await Eventually.Until(async () => (await factory.InSubscriptions(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id))).Status == OrderStatus.Completed,
            TimeSpan.FromSeconds(30), "the order completed by the InvoicePaid handler");

        Assert.Equal(5, (await factory.SubscriptionAsync(id)).Seats);
        var done = PortalClient.Decode(await customer.Client.GetPageAsync($"/products/orders/{order.Id}"));
        Assert.Contains("data-status=\"Completed\"", done, StringComparison.Ordinal);
        Assert.Contains("Done: your order is complete.", done, StringComparison.Ordinal);
        Assert.DoesNotContain("data-reload-after", done, StringComparison.Ordinal);
        Assert.Contains($"href=\"/products/{id}\" data-testid=\"open-subscription\">Open the subscription<", done, StringComparison.Ordinal);
        var email = await Eventually.Until(async () => (await EmailsAsync(factory, customer.Email, "order-completed")).SingleOrDefault(),
            TimeSpan.FromSeconds(30), "the order-completed email");
        Assert.Equal($"order-completed:{order.Id:N}", email.SourceKey);
        Assert.Contains("3 added seat(s) of V-Ray Solo", email.ModelJson, StringComparison.Ordinal);

        // The event delivered again (a retried job): still one email, and no failure email.
        var invoiceId = order.InvoiceId!.Value;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CompleteOrderOnInvoicePaid>().HandleAsync(
                new InvoicePaid(Guid.NewGuid(), DateTime.UtcNow, invoiceId, order.InvoiceNumber!, customer.UserId, order.SourceReference), CancellationToken.None);
        }
        Assert.Single(await EmailsAsync(factory, customer.Email, "order-completed"));
        Assert.Empty(await EmailsAsync(factory, customer.Email, "order-failed"));
    }

    [Fact]
    public async Task An_unanswered_purchase_declined_in_the_end_fails_with_the_reason_changes_nothing_and_the_customer_is_emailed_once()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 2, 10, 0, 0, TimeSpan.Zero));
        var gateway = new GatewayOutageTests.FlakyGateway();
        await using var factory = new SqlitePortalFactory { Clock = clock, TestServices = s => s.AddSingleton<IPaymentGateway>(gateway) };
        // Saved fine, declined when charged.
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000000341");
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);

        gateway.Down = true;
        var response = await customer.Client.SubmitAsync($"/products/{id}/upgrade?to=vray-premium-annual&seats=2", new Dictionary<string, string>());
        gateway.Down = false;
        var order = await factory.InSubscriptions(db => db.Orders.AsNoTracking().SingleAsync(o => o.SubscriptionId == id));
        Assert.Equal($"/products/orders/{order.Id}", response.Headers.Location?.OriginalString);
        Assert.Contains("data-testid=\"order-what\">Upgrade of 2 seat(s) to V-Ray Premium<",
            PortalClient.Decode(await customer.Client.GetPageAsync($"/products/orders/{order.Id}")), StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromMinutes(6));
        await RunPendingPaymentsJobAsync(factory);
        await Eventually.Until(async () => (await factory.InSubscriptions(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id))).Status == OrderStatus.Cancelled,
            TimeSpan.FromSeconds(30), "the order cancelled by the InvoiceVoided handler");

        var subscription = await factory.SubscriptionAsync(id);
        Assert.Equal(("vray-solo-annual", 2), (subscription.PlanCode, subscription.Seats));
        var failed = PortalClient.Decode(await customer.Client.GetPageAsync($"/products/orders/{order.Id}"));
        Assert.Contains("data-status=\"Cancelled\"", failed, StringComparison.Ordinal);
        Assert.Contains("The order could not be completed.", failed, StringComparison.Ordinal);
        Assert.Contains($"Your card was declined. Nothing was changed and invoice {order.InvoiceNumber} was voided; you can order again.", failed, StringComparison.Ordinal);
        Assert.DoesNotContain("data-reload-after", failed, StringComparison.Ordinal);
        var email = await Eventually.Until(async () => (await EmailsAsync(factory, customer.Email, "order-failed")).SingleOrDefault(),
            TimeSpan.FromSeconds(30), "the order-failed email");
        Assert.Contains("Your card was declined.", email.ModelJson, StringComparison.Ordinal);
        Assert.Empty(await EmailsAsync(factory, customer.Email, "order-completed"));
    }

    [Fact]
    public async Task A_purchase_the_page_saw_through_gets_no_order_email()
    {
        await using var factory = new SqlitePortalFactory();
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);

        var response = await customer.Client.SubmitAsync($"/products/{id}/add-seats?seats=1", new Dictionary<string, string>());

        Assert.Equal($"/products/{id}", response.Headers.Location?.OriginalString);
        var order = await factory.InSubscriptions(db => db.Orders.AsNoTracking().SingleAsync(o => o.SubscriptionId == id));
        Assert.Equal((OrderStatus.Completed, (DateTime?)null), (order.Status, order.PaymentUnansweredUtc));
        // The InvoicePaid event comes too (it always does); its handler finds nothing to email.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CompleteOrderOnInvoicePaid>().HandleAsync(
                new InvoicePaid(Guid.NewGuid(), DateTime.UtcNow, order.InvoiceId!.Value, order.InvoiceNumber!, customer.UserId, order.SourceReference), CancellationToken.None);
        }
        Assert.Empty(await EmailsAsync(factory, customer.Email, "order-completed"));
        Assert.Contains("Done: your order is complete.", PortalClient.Decode(await customer.Client.GetPageAsync($"/products/orders/{order.Id}")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_of_paid_events_for_orders_already_applied_costs_one_query_and_emails_nobody()
    {
        await using var factory = new SqlitePortalFactory { TestServices = SqlCommandCounter.AddTo };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var events = new List<InvoicePaid>();
        for (var i = 0; i < 3; i++)
        {
            var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);
            await customer.Client.SubmitAsync($"/products/{id}/add-seats?seats=1", new Dictionary<string, string>());
            var order = await factory.InSubscriptions(db => db.Orders.AsNoTracking().SingleAsync(o => o.SubscriptionId == id));
            Assert.Equal(OrderStatus.Completed, order.Status);
            events.Add(new InvoicePaid(Guid.NewGuid(), DateTime.UtcNow, order.InvoiceId!.Value, order.InvoiceNumber!, customer.UserId, order.SourceReference));
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var commands = factory.Services.GetRequiredService<SqlCommandCounter>().Watch();
        await scope.ServiceProvider.GetRequiredService<CompleteOrderOnInvoicePaid>().HandleManyAsync(events, CancellationToken.None);

        // One query for the three (a renewal run's batch is mostly orders the run applied itself); trying to apply and to
        // email each would be two statements per order.
        Assert.Single(commands);
        Assert.Empty(await EmailsAsync(factory, customer.Email, "order-completed"));
    }

    private static async Task RunPendingPaymentsJobAsync(PortalFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PendingPaymentsJob>().RunAsync(CancellationToken.None);
    }

    private static async Task<List<ChaosModular.Notifications.Domain.Email>> EmailsAsync(PortalFactory factory, string address, string template)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails.AsNoTracking()
            .Where(e => e.ToAddress == address && e.Template == template).ToListAsync();
    }
}
