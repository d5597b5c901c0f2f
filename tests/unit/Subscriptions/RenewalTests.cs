using System.Net;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Jobs;
using ChaosModular.Notifications.Data;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.Subscriptions.Jobs;
using ChaosModular.UnitTests.Billing;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Subscriptions;

/// <summary>The renewal job with a moved clock: renew once, retry on Billing's schedule, expire, remind.</summary>
public sealed class RenewalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private static readonly DateOnly RenewalDay = new(2026, 7, 2);
    private static readonly DateOnly YearBefore = new(2025, 7, 2);   // an annual subscription activated then renews today

    private static FakeTimeProvider ClockAt(DateOnly day, int hour = 6) => new(new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero));

    private static async Task RunRenewals(PortalFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RenewalJob>().RunAsync(CancellationToken.None);
    }

    private static async Task RunAutomaticPayments(PortalFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AutomaticPaymentJob>().RunAsync(CancellationToken.None);
    }

    private static async Task<T> InBilling<T>(PortalFactory factory, Func<BillingDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<BillingDbContext>());
    }

    private static async Task<List<string>> EmailKeys(PortalFactory factory, string email, string template)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails
            .Where(e => e.ToAddress == email && e.Template == template).Select(e => e.SourceKey).ToListAsync();
    }

    [Fact]
    public async Task Running_the_renewal_job_twice_on_the_renewal_day_invoices_and_charges_once_and_extends_the_period()
    {
        var clock = ClockAt(RenewalDay.AddDays(-10));
        await using var factory = new SqlitePortalFactory { Clock = clock };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 3, YearBefore);
        Assert.Equal(HttpStatusCode.Redirect, (await customer.Client.SubmitAsync($"/products/{id}?handler=ReduceSeats", new Dictionary<string, string> { ["seats"] = "2" })).StatusCode);
        await RunRenewals(factory);
        Assert.Equal(3, (await factory.SubscriptionAsync(id)).Seats);   // nothing before the renewal day
        clock.SetUtcNow(new DateTimeOffset(RenewalDay.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));

        await RunRenewals(factory);
        await RunRenewals(factory);

        var renewed = await factory.SubscriptionAsync(id);
        Assert.Equal((SubscriptionStatus.Active, RenewalDay, new DateOnly(2027, 7, 2), 2), (renewed.Status, renewed.PeriodStart, renewed.RenewsOn, renewed.Seats));
        var order = Assert.Single(await factory.InSubscriptions(db => db.Orders.Where(o => o.SubscriptionId == id).ToListAsync()));
        Assert.Equal((OrderKind.Renewal, OrderStatus.Completed, (DateOnly?)RenewalDay), (order.Kind, order.Status, order.RenewalOf));
        var invoice = Assert.Single(await InBilling(factory, db => db.Invoices.Where(i => i.CustomerId == customer.UserId).Include(i => i.Lines).ToListAsync()));
        Assert.Equal((InvoiceStatus.Paid, 940m, RenewalDay.ToDateTime(TimeOnly.MinValue)), (invoice.Status, invoice.Subtotal, invoice.DueUtc));   // 2 seats x 470 after the reduction
        var line = Assert.Single(invoice.Lines);
        Assert.Equal(((DateOnly?)RenewalDay, (DateOnly?)new DateOnly(2027, 7, 1)), (line.PeriodStart, line.PeriodEnd));
        var payment = Assert.Single(await InBilling(factory, db => db.Payments.Where(p => p.CustomerId == customer.UserId).ToListAsync()));
        Assert.Equal((PaymentStatus.Succeeded, true), (payment.Status, payment.Automatic));
        Assert.True(await factory.InSubscriptions(db => db.OutboxMessages.AnyAsync(m => m.Type.Contains("SubscriptionRenewed"))));
    }

    [Fact]
    public async Task A_declined_renewal_is_retried_on_billings_schedule_and_the_subscription_expires_when_it_stays_unpaid()
    {
        var clock = ClockAt(RenewalDay);
        await using var factory = new SqlitePortalFactory { Clock = clock };
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000000341");
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 1, YearBefore);

        await RunRenewals(factory);

        var waiting = await factory.SubscriptionAsync(id);
        Assert.Equal((SubscriptionStatus.Active, RenewalDay), (waiting.Status, waiting.RenewsOn));
        var invoice = Assert.Single(await InBilling(factory, db => db.Invoices.AsNoTracking().Where(i => i.CustomerId == customer.UserId).ToListAsync()));
        Assert.Equal((InvoiceStatus.Open, 1), (invoice.Status, invoice.AutoPayFailures));
        Assert.Contains("Renewal payment due", PortalClient.Decode(await customer.Client.GetPageAsync("/products")), StringComparison.Ordinal);

        foreach (var (day, failures) in new[] { (5, 2), (9, 3) })
        {
            clock.SetUtcNow(new DateTimeOffset(2026, 7, day, 6, 0, 0, TimeSpan.Zero));
            await RunAutomaticPayments(factory);
            await RunRenewals(factory);
            Assert.Equal(failures, (await InBilling(factory, db => db.Invoices.AsNoTracking().SingleAsync(i => i.Id == invoice.Id))).AutoPayFailures);
            Assert.Equal(SubscriptionStatus.Active, (await factory.SubscriptionAsync(id)).Status);
        }
        clock.SetUtcNow(new DateTimeOffset(2026, 7, 16, 6, 0, 0, TimeSpan.Zero));
        await RunAutomaticPayments(factory);
        await RunRenewals(factory);
        await RunRenewals(factory);

        var expired = await factory.SubscriptionAsync(id);
        Assert.Equal((SubscriptionStatus.Expired, (DateOnly?)RenewalDay), (expired.Status, expired.ExpiredOn));
        Assert.Equal(InvoiceStatus.Void, (await InBilling(factory, db => db.Invoices.AsNoTracking().SingleAsync(i => i.Id == invoice.Id))).Status);
        Assert.Equal(4, await InBilling(factory, db => db.Payments.CountAsync(p => p.CustomerId == customer.UserId && p.Status == PaymentStatus.Failed)));
        await customer.Client.SignInAsync(customer.Email, customer.Password);   // two weeks on, the session has ended
        Assert.Contains("product-name\">V-Ray Solo<", PortalClient.Decode(await customer.Client.GetPageAsync("/products/expired")), StringComparison.Ordinal);
        Assert.Single(await Eventually.Until(async () => { var keys = await EmailKeys(factory, customer.Email, "subscription-expired"); return keys.Count > 0 ? keys : null; }, Patience, "the expiry notice"));
        var notice = Assert.Single(await Mailbox.ReceivedAsync(factory, customer.Email, "Your V-Ray Solo subscription has expired"));
        Assert.Contains($"Your V-Ray Solo subscription expired on 2026-07-02. We could not charge its renewal invoice {invoice.Number}.", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("You can buy it again at any time from Expired Products.", notice.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_renewal_paid_later_by_hand_extends_the_period()
    {
        var clock = ClockAt(RenewalDay);
        await using var factory = new SqlitePortalFactory { Clock = clock };
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000000341");
        var id = await customer.GiveSubscriptionAsync("corona-solo-monthly", "EUR", 1, new DateOnly(2026, 6, 2));
        await RunRenewals(factory);
        var invoice = Assert.Single(await InBilling(factory, db => db.Invoices.AsNoTracking().Where(i => i.CustomerId == customer.UserId).ToListAsync()));

        await customer.AddCardAsync("4242424242424242");
        await customer.PayAsync(invoice.Id);

        var renewed = await Eventually.Until(async () => { var s = await factory.SubscriptionAsync(id); return s.RenewsOn > RenewalDay ? s : null; }, Patience, "the renewal to complete");
        Assert.Equal((RenewalDay, new DateOnly(2026, 8, 2)), (renewed.PeriodStart, renewed.RenewsOn));
        await RunRenewals(factory);
        Assert.Single(await InBilling(factory, db => db.Invoices.Where(i => i.CustomerId == customer.UserId).ToListAsync()));
    }

    [Fact]
    public async Task Without_auto_renewal_the_subscription_expires_at_period_end_without_an_invoice_and_the_customer_is_told()
    {
        await using var factory = new SqlitePortalFactory { Clock = ClockAt(RenewalDay) };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("phoenix-annual", "EUR", 1, YearBefore, autoRenew: false);
        var stillRunning = await customer.GiveSubscriptionAsync("phoenix-annual", "EUR", 1, YearBefore.AddDays(1), autoRenew: false);

        await RunRenewals(factory);
        await RunRenewals(factory);

        Assert.Equal(SubscriptionStatus.Expired, (await factory.SubscriptionAsync(id)).Status);
        Assert.Equal(SubscriptionStatus.Active, (await factory.SubscriptionAsync(stillRunning)).Status);
        Assert.False(await InBilling(factory, db => db.Invoices.AnyAsync(i => i.CustomerId == customer.UserId)));
        Assert.True(await factory.InSubscriptions(db => db.OutboxMessages.AnyAsync(m => m.Type.Contains("SubscriptionExpired"))));
        var page = PortalClient.Decode(await customer.Client.GetPageAsync("/products/expired"));
        Assert.Contains($"href=\"/products/cart/{id}\"", page, StringComparison.Ordinal);
        var notices = await Eventually.Until(async () => { var keys = await EmailKeys(factory, customer.Email, "subscription-expired"); return keys.Count > 0 ? keys : null; }, Patience, "the expiry notice");
        Assert.Single(notices);
        // Left to run out: the date, and no reason after it (nothing was unpaid).
        var notice = Assert.Single(await Mailbox.ReceivedAsync(factory, customer.Email, "Your Phoenix subscription has expired"));
        Assert.Contains("Your Phoenix subscription expired on 2026-07-02.\n", notice.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reminders_go_45_30_and_4_days_before_an_annual_renewal_and_4_before_a_monthly_one_once_each()
    {
        var clock = ClockAt(RenewalDay);
        await using var factory = new SqlitePortalFactory { Clock = clock };
        var customer = await BillingCustomer.SignUpAsync(factory);
        await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 1, new DateOnly(2025, 8, 16));     // renews 2026-08-16: 45 days from today
        await customer.GiveSubscriptionAsync("corona-solo-monthly", "EUR", 1, new DateOnly(2026, 6, 16));  // renews 2026-07-16

        // 07-02: annual 45 days; 07-12: monthly 4 days; 07-17: the monthly one renewed (a day late) and the
        // annual one is 30 days away; 08-12: both renew on 08-16, 4 days away.
        var expected = new[] { (RenewalDay, 1), (new DateOnly(2026, 7, 3), 1), (new DateOnly(2026, 7, 12), 2), (new DateOnly(2026, 7, 17), 3), (new DateOnly(2026, 8, 1), 3), (new DateOnly(2026, 8, 12), 5) };
        foreach (var (day, count) in expected)
        {
            clock.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));
            await RunRenewals(factory);
            await RunRenewals(factory);
            Assert.Equal(count, (await EmailKeys(factory, customer.Email, "renewal-reminder")).Count);
        }
        var keys = await EmailKeys(factory, customer.Email, "renewal-reminder");
        Assert.Equal(5, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["20260716:4", "20260816:30", "20260816:4", "20260816:4", "20260816:45"], keys.Select(k => k[(k.LastIndexOf(':', k.LastIndexOf(':') - 1) + 1)..]).Order(StringComparer.Ordinal));

        // What the customer reads: the product, seats, day, the price before tax and the card it will be charged to.
        var annual = await Mailbox.ReceivedAsync(factory, customer.Email, "Your V-Ray Solo subscription renews on 2026-08-16", 3);
        Assert.All(annual, e =>
        {
            Assert.Contains("Your V-Ray Solo subscription (1 seat(s)) renews automatically on 2026-08-16.", e.TextBody, StringComparison.Ordinal);
            Assert.Contains("We will invoice 470.00 EUR (before tax) on that day and charge it to your Visa ending in 4242.", e.TextBody, StringComparison.Ordinal);
        });
        foreach (var day in new[] { "2026-07-16", "2026-08-16" })
        {
            var monthly = Assert.Single(await Mailbox.ReceivedAsync(factory, customer.Email, $"Your Corona Solo subscription renews on {day}"));
            Assert.Contains($"Your Corona Solo subscription (1 seat(s)) renews automatically on {day}.", monthly.TextBody, StringComparison.Ordinal);
            Assert.Contains("We will invoice 49.90 EUR (before tax) on that day and charge it to your Visa ending in 4242.", monthly.TextBody, StringComparison.Ordinal);
        }
        Assert.Equal(5, (await Mailbox.AllToAsync(factory, customer.Email)).Count(e => (e.Subject ?? "").Contains(" subscription renews on ", StringComparison.Ordinal)));
    }
}
