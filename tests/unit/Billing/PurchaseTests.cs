using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Contracts.Events;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Gateways;
using ChaosModular.Billing.Jobs;
using ChaosModular.Modules.Abstractions;
using Microsoft.Extensions.Time.Testing;

using static ChaosModular.UnitTests.Billing.BillingScope;

namespace ChaosModular.UnitTests.Billing;

/// <summary>A purchase in one call: paid, declined and voided (now or later), no billing information, asked twice.</summary>
public sealed class PurchaseTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    private static CreateInvoice Order(BillingCustomer customer, string reference, decimal price = 120m) =>
        new(customer.UserId, "EUR", [new CreateInvoiceLine("Chaos Vantage annual", 1, price, null, null, "vantage")], reference);

    private static string NewReference() => $"subscriptions:order:{Guid.NewGuid():N}";

    [Fact]
    public async Task A_paid_purchase_issues_one_invoice_paid_with_the_default_card_and_announced()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var reference = NewReference();

        var result = await Purchase(factory, Order(customer, reference));

        Assert.Equal((PurchaseStatus.Paid, (Money?)new Money(120m, "EUR"), (string?)null), (result.Status, result.Total, result.DeclineReason));
        var invoice = await Stored(factory, result.InvoiceId!.Value);
        Assert.Equal((InvoiceStatus.Paid, result.InvoiceNumber, reference), (invoice.Status, (string?)invoice.Number, invoice.SourceReference));
        Assert.Equal(1, await PaidAnnouncements(factory, reference));
        Assert.Equal(0, await VoidedAnnouncements(factory, reference));
    }

    [Fact]
    public async Task A_declined_purchase_voids_its_invoice_announces_it_and_leaves_nothing_owed()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000000002");
        var reference = NewReference();

        var result = await Purchase(factory, Order(customer, reference));
        var again = await Purchase(factory, Order(customer, reference));

        Assert.Equal((PurchaseStatus.Declined, "Your card was declined."), (result.Status, result.DeclineReason));
        Assert.Equal(result, again);   // asked again: the first answer, nothing charged twice
        var invoice = await Stored(factory, result.InvoiceId!.Value);
        Assert.Equal((InvoiceStatus.Void, 0m, "Payment declined: Your card was declined."), (invoice.Status, invoice.Balance, invoice.VoidReason));
        Assert.Equal(1, await VoidedAnnouncements(factory, reference));
        Assert.Equal(1, await InBilling(factory, db => db.Payments.CountAsync(p => p.CustomerId == customer.UserId)));
        var state = await WithApi(factory, api => api.InvoiceStateAsync(invoice.Id, CancellationToken.None));
        Assert.Equal(("Void", Money.Zero("EUR"), false), (state!.Status, state.Balance, state.AutomaticAttemptsLeft));
    }

    [Fact]
    public async Task A_purchase_without_a_card_is_declined_and_its_invoice_voided()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);
        var reference = NewReference();

        var result = await Purchase(factory, Order(customer, reference));

        Assert.Equal((PurchaseStatus.Declined, "Add a payment method before paying."), (result.Status, result.DeclineReason));
        Assert.Equal(InvoiceStatus.Void, (await Stored(factory, result.InvoiceId!.Value)).Status);
        Assert.Equal(1, await VoidedAnnouncements(factory, reference));
    }

    [Fact]
    public async Task A_pending_purchase_declined_later_by_the_retry_job_is_voided_and_announced()
    {
        var gateway = new GatewayOutageTests.FlakyGateway();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero));
        await using var host = new SqlitePortalFactory { Clock = clock, TestServices = s => s.AddSingleton<IPaymentGateway>(gateway) };
        var customer = await BillingCustomer.SignUpAsync(host, card: "4000000000000002");
        var reference = NewReference();
        gateway.Down = true;

        var result = await Purchase(host, Order(customer, reference));

        Assert.Equal(PurchaseStatus.Pending, result.Status);
        Assert.Equal(InvoiceStatus.Open, (await Stored(host, result.InvoiceId!.Value)).Status);
        Assert.Equal(0, await VoidedAnnouncements(host, reference));

        gateway.Down = false;
        clock.Advance(TimeSpan.FromMinutes(10));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PendingPaymentsJob>().RunAsync(CancellationToken.None);
        }

        var invoice = await Stored(host, result.InvoiceId.Value);
        Assert.Equal((InvoiceStatus.Void, "Payment declined: Your card was declined.", (Guid?)null), (invoice.Status, invoice.VoidReason, invoice.PaymentLockId));
        Assert.Equal(1, await VoidedAnnouncements(host, reference));
        Assert.Equal(1, gateway.Charges);
        var again = await Purchase(host, Order(customer, reference));
        Assert.Equal((PurchaseStatus.Declined, "Your card was declined."), (again.Status, again.DeclineReason));
        Assert.Equal(1, gateway.Charges);
    }

    [Fact]
    public async Task Without_billing_information_a_purchase_issues_no_invoice()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        await InBilling(factory, db => db.Profiles.Where(p => p.CustomerId == customer.UserId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Country, "")));

        var result = await Purchase(factory, Order(customer, NewReference()));

        Assert.Equal(new PurchaseResult(PurchaseStatus.NoBillingInformation, null, null, null), result);
        Assert.False(await InBilling(factory, db => db.Invoices.AnyAsync(i => i.CustomerId == customer.UserId)));
    }

    [Fact]
    public async Task A_purchase_asked_again_with_the_same_reference_charges_once()
    {
        var gateway = new GatewayOutageTests.FlakyGateway();
        await using var host = new SqlitePortalFactory { TestServices = s => s.AddSingleton<IPaymentGateway>(gateway) };
        var customer = await BillingCustomer.SignUpAsync(host);
        var reference = NewReference();

        var first = await Purchase(host, Order(customer, reference));
        var again = await Purchase(host, Order(customer, reference));

        Assert.Equal(PurchaseStatus.Paid, first.Status);
        Assert.Equal(first, again);
        Assert.Equal(1, gateway.Charges);
        Assert.Equal(1, await InBilling(host, db => db.Invoices.CountAsync(i => i.CustomerId == customer.UserId)));
        Assert.Equal(1, await PaidAnnouncements(host, reference));
    }

    [Fact]
    public async Task Voiding_an_invoice_announces_it_once_however_often_it_is_asked()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var reference = NewReference();
        var invoice = await WithApi(factory, api => api.CreateInvoiceAsync(Order(customer, reference), CancellationToken.None));

        Assert.True(await WithApi(factory, api => api.VoidInvoiceAsync(invoice.InvoiceId, "Order abandoned", CancellationToken.None)));
        Assert.True(await WithApi(factory, api => api.VoidInvoiceAsync(invoice.InvoiceId, "Order abandoned", CancellationToken.None)));

        var voided = Assert.Single(await InBilling(factory, db => PublishedEvents.OfAsync<InvoiceVoided>(db, e => e.SourceReference == reference)));
        Assert.Equal((invoice.InvoiceId, invoice.Number, "Order abandoned"), (voided.InvoiceId, voided.InvoiceNumber, voided.Reason));
    }

    private static Task<PurchaseResult> Purchase(PortalFactory factory, CreateInvoice request) =>
        WithApi(factory, api => api.PurchaseAsync(request, CancellationToken.None));

    private static async Task<int> PaidAnnouncements(PortalFactory factory, string reference) =>
        (await InBilling(factory, db => PublishedEvents.OfAsync<InvoicePaid>(db, e => e.SourceReference == reference))).Count;

    private static async Task<int> VoidedAnnouncements(PortalFactory factory, string reference) =>
        (await InBilling(factory, db => PublishedEvents.OfAsync<InvoiceVoided>(db, e => e.SourceReference == reference))).Count;
}
