using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Contracts.Events;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Features;
using ChaosModular.Modules.Abstractions;

namespace ChaosModular.UnitTests.Billing;

/// <summary>The contract Products, renewals and Buy Again bill through.</summary>
public sealed class BillingApiTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    private async Task<T> WithApi<T>(Func<IBillingApi, Task<T>> use)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<IBillingApi>());
    }

    private async Task<T> WithCharge<T>(Func<ChargeInvoice, Task<T>> use)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<ChargeInvoice>());
    }

    [Fact]
    public async Task An_invoice_created_and_charged_through_the_contract_is_paid_once_and_announced()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);

        var invoice = await WithApi(api => api.CreateInvoiceAsync(new CreateInvoice(customer.UserId, "GBP",
        [
            new CreateInvoiceLine("Chaos Vantage, 2 added seats (prorated)", 2, 41.095m, new DateOnly(2026, 6, 1), new DateOnly(2026, 12, 31), "vantage"),
        ], SourceReference: "subscription:42:add-seats"), CancellationToken.None));
        var first = await WithCharge(charge => charge.HandleAsync(invoice.InvoiceId, "add-seats:42:1", CancellationToken.None));
        var again = await WithCharge(charge => charge.HandleAsync(invoice.InvoiceId, "add-seats:42:1", CancellationToken.None));

        Assert.Equal(new Money(82.19m, "GBP"), invoice.Total);   // 2 x 41.095 = 82.19, DE with VAT ID: reverse charge
        Assert.True(first.Paid);
        Assert.Equal(new Money(82.19m, "GBP"), first.Charged);
        Assert.Equal(first, again);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        Assert.Equal(1, await db.Payments.CountAsync(p => p.CustomerId == customer.UserId));
        var paid = Assert.Single(await PublishedEvents.OfAsync<InvoicePaid>(db, e => e.SourceReference == "subscription:42:add-seats"));
        Assert.Equal(customer.UserId, paid.CustomerId);
    }

    [Fact]
    public async Task A_decline_through_the_contract_returns_the_reason_and_the_default_method_is_readable()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000009995");

        var method = await WithApi(api => api.DefaultPaymentMethodAsync(customer.UserId, CancellationToken.None));
        var invoice = await WithApi(api => api.CreateInvoiceAsync(new CreateInvoice(customer.UserId, "EUR",
            [new CreateInvoiceLine("Corona Solo monthly", 1, 49.90m, null, null, "corona-solo")]), CancellationToken.None));
        var result = await WithCharge(charge => charge.HandleAsync(invoice.InvoiceId, "buy-again:7", CancellationToken.None));

        Assert.Equal(("Visa", "9995"), (method!.Brand, method.Last4));
        Assert.False(result.Paid);
        Assert.Equal("Your card has insufficient funds.", result.DeclineReason);
    }

    [Fact]
    public async Task Without_billing_information_no_invoice_is_issued()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            await db.Profiles.Where(p => p.CustomerId == customer.UserId).ExecuteDeleteAsync();
        }

        await Assert.ThrowsAsync<IssueInvoice.MissingBillingInformationException>(() =>
            WithApi(api => api.CreateInvoiceAsync(new CreateInvoice(customer.UserId, "EUR", [new CreateInvoiceLine("x", 1, 1m, null, null, null)]), CancellationToken.None)));
    }

    private async Task<T> InBilling<T>(Func<BillingDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<BillingDbContext>());
    }

    private static CreateInvoice Order(string customerId, decimal price, string? source = null, DateOnly? dueOn = null) =>
        new(customerId, "EUR", [new CreateInvoiceLine("Chaos Vantage annual", 1, price, null, null, "vantage")], source, dueOn);

    [Fact]
    public async Task Creating_again_with_the_same_source_reference_returns_the_first_invoice()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var other = await BillingCustomer.SignUpAsync(factory);

        var first = await WithApi(api => api.CreateInvoiceAsync(Order(customer.UserId, 100m, "order:17"), CancellationToken.None));
        var retried = await WithApi(api => api.CreateInvoiceAsync(Order(customer.UserId, 100m, "order:17"), CancellationToken.None));
        var othersOrder = await WithApi(api => api.CreateInvoiceAsync(Order(other.UserId, 100m, "order:17"), CancellationToken.None));
        var unreferenced1 = await WithApi(api => api.CreateInvoiceAsync(Order(customer.UserId, 5m), CancellationToken.None));
        var unreferenced2 = await WithApi(api => api.CreateInvoiceAsync(Order(customer.UserId, 5m), CancellationToken.None));

        Assert.Equal(first, retried);
        Assert.NotEqual(first.InvoiceId, othersOrder.InvoiceId);   // the reference is unique per customer only
        Assert.Equal(1, await InBilling(db => db.Invoices.CountAsync(i => i.CustomerId == customer.UserId && i.SourceReference == "order:17")));
        Assert.Equal(2, await InBilling(db => db.Invoices.CountAsync(i => i.CustomerId == customer.UserId && i.SourceReference == null)));
        Assert.NotEqual(unreferenced1.InvoiceId, unreferenced2.InvoiceId);
    }

    [Fact]
    public async Task An_invoice_is_due_on_the_day_asked_and_its_automatic_payment_follows_that_day()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);

        var renewal = await WithApi(api => api.CreateInvoiceAsync(Order(customer.UserId, 100m, "renewal:3:2027", new DateOnly(2027, 2, 3)), CancellationToken.None));
        var order = await WithApi(api => api.CreateInvoiceAsync(Order(customer.UserId, 100m), CancellationToken.None));

        var due = new DateTime(2027, 2, 3, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal(due, renewal.DueUtc);
        var stored = await InBilling(db => db.Invoices.AsNoTracking().SingleAsync(i => i.Id == renewal.InvoiceId));
        Assert.Equal((due, (DateTime?)due), (stored.DueUtc, stored.NextAutoPayUtc));
        var issued = await InBilling(db => db.Invoices.Where(i => i.Id == order.InvoiceId).Select(i => i.IssuedUtc).SingleAsync());
        Assert.Equal(issued.Date.AddDays(14), order.DueUtc);   // without a day: the payment term
    }

    [Fact]
    public async Task Invoice_state_reports_status_balance_automatic_attempts_and_payments_in_progress()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000000002");
        var open = await WithApi(api => api.CreateInvoiceAsync(Order(customer.UserId, 40m), CancellationToken.None));
        var pastDue = await WithApi(api => api.CreateInvoiceAsync(Order(customer.UserId, 50m, dueOn: DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2)), CancellationToken.None));
        var exhausted = await WithApi(api => api.CreateInvoiceAsync(Order(customer.UserId, 60m), CancellationToken.None));
        var held = await WithApi(api => api.CreateInvoiceAsync(Order(customer.UserId, 70m), CancellationToken.None));
        var voided = await WithApi(api => api.CreateInvoiceAsync(Order(customer.UserId, 80m), CancellationToken.None));
        await InBilling(db => db.Invoices.Where(i => i.Id == exhausted.InvoiceId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InvoiceStatus.Overdue).SetProperty(i => i.NextAutoPayUtc, (DateTime?)null)));
        await InBilling(db => db.Invoices.Where(i => i.Id == held.InvoiceId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.PaymentLockId, Guid.NewGuid()).SetProperty(i => i.PaymentLockUntilUtc, DateTime.UtcNow.AddMinutes(2))));
        Assert.True(await WithApi(api => api.VoidInvoiceAsync(voided.InvoiceId, "Order abandoned", CancellationToken.None)));

        var states = new Dictionary<Guid, InvoiceState?>();
        foreach (var id in new[] { open.InvoiceId, pastDue.InvoiceId, exhausted.InvoiceId, held.InvoiceId, voided.InvoiceId, Guid.NewGuid() })
        {
            states[id] = await WithApi(api => api.InvoiceStateAsync(id, CancellationToken.None));
        }

        Assert.Equal(new InvoiceState(open.InvoiceId, open.Number, "Open", new Money(40m, "EUR"), AutomaticAttemptsLeft: true, PaymentInProgress: false), states[open.InvoiceId]);
        Assert.Equal(("Overdue", true), (states[pastDue.InvoiceId]!.Status, states[pastDue.InvoiceId]!.AutomaticAttemptsLeft));   // past due, retries still to come
        Assert.Equal(("Overdue", false), (states[exhausted.InvoiceId]!.Status, states[exhausted.InvoiceId]!.AutomaticAttemptsLeft));
        Assert.Equal(("Open", true), (states[held.InvoiceId]!.Status, states[held.InvoiceId]!.PaymentInProgress));
        Assert.Equal(new InvoiceState(voided.InvoiceId, voided.Number, "Void", Money.Zero("EUR"), false, false), states[voided.InvoiceId]);
        Assert.Null(states.Last().Value);
    }

    [Fact]
    public async Task A_paid_invoice_reads_paid_with_nothing_left()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await WithApi(api => api.CreateInvoiceAsync(Order(customer.UserId, 25m), CancellationToken.None));
        await WithCharge(charge => charge.HandleAsync(invoice.InvoiceId, "order:paid", CancellationToken.None));

        var state = await WithApi(api => api.InvoiceStateAsync(invoice.InvoiceId, CancellationToken.None));

        Assert.Equal(new InvoiceState(invoice.InvoiceId, invoice.Number, "Paid", Money.Zero("EUR"), false, false), state);
    }

    [Fact]
    public async Task Billing_information_is_the_profile_and_null_until_the_customer_gives_a_country()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);

        var information = await WithApi(api => api.BillingInformationAsync(customer.UserId, CancellationToken.None));
        await InBilling(db => db.Profiles.Where(p => p.CustomerId == customer.UserId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Country, "")));
        var withoutCountry = await WithApi(api => api.BillingInformationAsync(customer.UserId, CancellationToken.None));
        var nobody = await WithApi(api => api.BillingInformationAsync("no-such-customer", CancellationToken.None));

        Assert.Equal(new BillingInformationSummary("Payer Studio Ltd", "1 Render Road", "Sofia", "1000", "DE", "DE123456789", customer.Email), information);
        Assert.Null(withoutCountry);
        Assert.Null(nobody);
    }

    [Fact]
    public async Task One_caller_can_create_charge_and_void_in_a_single_scope()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000000002");
        await using var scope = factory.Services.CreateAsyncScope();
        var api = scope.ServiceProvider.GetRequiredService<IBillingApi>();
        var charge = scope.ServiceProvider.GetRequiredService<ChargeInvoice>();

        var invoice = await api.CreateInvoiceAsync(Order(customer.UserId, 30m, "order:one-scope"), CancellationToken.None);
        var declined = await charge.HandleAsync(invoice.InvoiceId, "order:one-scope:1", CancellationToken.None);
        var afterDecline = await api.InvoiceStateAsync(invoice.InvoiceId, CancellationToken.None);
        var voided = await api.VoidInvoiceAsync(invoice.InvoiceId, "Card declined", CancellationToken.None);
        var afterVoid = await api.InvoiceStateAsync(invoice.InvoiceId, CancellationToken.None);
        var payer = await BillingCustomer.SignUpAsync(factory);
        var bought = await api.CreateInvoiceAsync(Order(payer.UserId, 45m, "order:one-scope"), CancellationToken.None);
        var paid = await charge.HandleAsync(bought.InvoiceId, "order:one-scope:2", CancellationToken.None);

        Assert.Equal((false, "Your card was declined."), (declined.Paid, declined.DeclineReason));
        Assert.Equal(("Open", false), (afterDecline!.Status, afterDecline.PaymentInProgress));   // the declined charge let go of the invoice
        Assert.True(voided);
        Assert.Equal("Void", afterVoid!.Status);
        Assert.Equal(new ChargeResult(true, null, new Money(45m, "EUR"), Money.Zero("EUR")), paid);
        Assert.Equal("Paid", (await api.InvoiceStateAsync(bought.InvoiceId, CancellationToken.None))!.Status);
    }
}
