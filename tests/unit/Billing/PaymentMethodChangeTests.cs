using System.Net;
using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Jobs;
using ChaosModular.UnitTests.Subscriptions;
using Microsoft.Extensions.Time.Testing;
using UglyToad.PdfPig;

namespace ChaosModular.UnitTests.Billing;

/// <summary>
/// Billing › Payment methods › Change and Remove, and "used for any unpaid invoices": a card saved or made default
/// is offered the unpaid invoices, and Overdue invoices get one more automatic attempt the day after a new default card.
/// </summary>
public sealed class PaymentMethodChangeTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    private const string Page = "/billing/payment-methods";

    private static async Task<T> InBilling<T>(PortalFactory portal, Func<BillingDbContext, Task<T>> query)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<BillingDbContext>());
    }

    /// <summary>Every card of the customer, removed ones included (the context's filter hides those).</summary>
    private static Task<List<PaymentMethod>> AllCards(PortalFactory portal, BillingCustomer customer) =>
        InBilling(portal, db => db.PaymentMethods.IgnoreQueryFilters().AsNoTracking().Where(m => m.CustomerId == customer.UserId).OrderBy(m => m.AddedUtc).ToListAsync());

    private static async Task<Guid> OnlyCardId(PortalFactory portal, BillingCustomer customer) => Assert.Single(await AllCards(portal, customer)).Id;

    [Fact]
    public async Task Change_gives_the_new_card_the_default_and_the_renewals_then_soft_deletes_the_old_one()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        await customer.GiveSubscriptionAsync("vray-solo-annual");
        var old = await OnlyCardId(factory, customer);

        var form = PortalClient.Decode(await customer.Client.GetPageAsync($"{Page}?change={old}"));
        Assert.Contains("Replace Visa ending in 4242", form, StringComparison.Ordinal);
        var response = await customer.ChangeCardAsync(old, "5555555555554444");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cards = await AllCards(factory, customer);
        Assert.Equal(2, cards.Count);
        var (removed, added) = (cards[0], cards[1]);
        Assert.Equal((old, false), (removed.Id, removed.IsDefault));
        Assert.NotNull(removed.RemovedUtc);
        Assert.Equal(("Mastercard", "4444", true, (DateTime?)null), (added.Brand, added.Last4, added.IsDefault, added.RemovedUtc));
        // Renewals and automatic payments charge the default card: Subscriptions asks Billing for it.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var renewalCard = await scope.ServiceProvider.GetRequiredService<IBillingApi>().DefaultPaymentMethodAsync(customer.UserId, CancellationToken.None);
            Assert.Equal(added.Id, renewalCard!.Id);
        }
        var page = PortalClient.Decode(await customer.Client.GetPageAsync(Page));
        Assert.Contains("Mastercard ending in 4444 replaced Visa ending in 4242", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<strong>Visa</strong> ending in 4242", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_customers_card_cannot_be_changed_or_removed()
    {
        var owner = await BillingCustomer.SignUpAsync(factory);
        var other = await BillingCustomer.SignUpAsync(factory, card: null);
        var card = await OnlyCardId(factory, owner);

        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.Http.GetAsync(new Uri($"{Page}?change={card}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.Http.GetAsync(new Uri($"{Page}?remove={card}", UriKind.Relative))).StatusCode);
        var token = PortalClient.HiddenFields(await other.Client.GetPageAsync(Page)).First(f => f.Key == "__RequestVerificationToken");
        var change = await other.Client.Http.PostAsync(new Uri($"{Page}?change={card}&handler=Add", UriKind.Relative), new FormUrlEncodedContent(
        [
            token, new("Card.Number", "5555555555554444"), new("Card.ExpiryMonth", "12"), new("Card.ExpiryYear", "2031"), new("Card.Cvc", "123"), new("Card.MakeDefault", "true"),
        ]));
        var remove = await other.Client.Http.PostAsync(new Uri($"{Page}?handler=Remove&id={card}", UriKind.Relative),
            new FormUrlEncodedContent([token, new("confirmed", "true")]));

        Assert.Equal(HttpStatusCode.NotFound, change.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, remove.StatusCode);
        var stored = Assert.Single(await AllCards(factory, owner));
        Assert.Equal((true, (DateTime?)null), (stored.IsDefault, stored.RemovedUtc));
        Assert.Empty(await AllCards(factory, other));
    }

    [Fact]
    public async Task The_only_card_cannot_be_removed_while_a_subscription_renews_automatically()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        await customer.GiveSubscriptionAsync("vray-solo-annual");
        var card = await OnlyCardId(factory, customer);

        var response = await customer.RemoveCardAsync(card);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalClient.Decode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Visa ending in 4242 is your only card and 1 of your subscriptions renew automatically with it.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"confirm-remove\"", page, StringComparison.Ordinal);
        Assert.Null(Assert.Single(await AllCards(factory, customer)).RemovedUtc);
    }

    [Fact]
    public async Task Remove_asks_for_confirmation_then_soft_deletes_and_hands_the_default_on()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        await customer.GiveSubscriptionAsync("vray-solo-annual");
        var first = await OnlyCardId(factory, customer);
        await customer.TypeCardAsync("5555555555554444");   // made default by the form

        var unconfirmed = await customer.RemoveCardAsync(first, confirmed: false);

        Assert.Equal(HttpStatusCode.Redirect, unconfirmed.StatusCode);
        Assert.Equal($"{Page}?remove={first}", unconfirmed.Headers.Location!.OriginalString);
        Assert.All(await AllCards(factory, customer), c => Assert.Null(c.RemovedUtc));
        var confirmation = PortalClient.Decode(await customer.Client.GetPageAsync($"{Page}?remove={first}"));
        Assert.Contains("Remove Visa ending in 4242?", confirmation, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"confirm-remove\"", confirmation, StringComparison.Ordinal);

        var confirmed = await customer.RemoveCardAsync(first);

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var cards = await AllCards(factory, customer);
        Assert.NotNull(cards.Single(c => c.Id == first).RemovedUtc);
        Assert.True(cards.Single(c => c.Id != first).IsDefault);
        Assert.Contains("Visa ending in 4242 was removed.", PortalClient.Decode(await customer.Client.GetPageAsync(Page)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_the_default_card_hands_the_default_to_the_other_card()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var visa = await OnlyCardId(factory, customer);
        await customer.TypeCardAsync("5555555555554444");
        var mastercard = (await AllCards(factory, customer)).Single(c => c.Id != visa).Id;

        Assert.Equal(HttpStatusCode.Redirect, (await customer.RemoveCardAsync(mastercard)).StatusCode);

        var cards = await AllCards(factory, customer);
        Assert.True(cards.Single(c => c.Id == visa).IsDefault);
        Assert.Contains("Visa ending in 4242 now pays your open invoices and renewals.", PortalClient.Decode(await customer.Client.GetPageAsync(Page)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removed_card_still_shows_on_the_invoice_it_paid_and_its_pdf()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("EUR", 80m);
        await customer.PayAsync(invoice.InvoiceId);
        var visa = await OnlyCardId(factory, customer);
        await customer.TypeCardAsync("5555555555554444");

        Assert.Equal(HttpStatusCode.Redirect, (await customer.RemoveCardAsync(visa)).StatusCode);

        var list = PortalClient.Decode(await customer.Client.GetPageAsync("/billing"));
        Assert.Matches($"data-invoice=\"{invoice.Number}\"[\\s\\S]*?data-testid=\"paid-with\">Paid with Visa ending in 4242<", list);
        using var pdf = PdfDocument.Open(await (await customer.Client.Http.GetAsync(new Uri(BillingRoutes.InvoicePdf(invoice.InvoiceId), UriKind.Relative))).Content.ReadAsByteArrayAsync());
        Assert.Contains("Paid with Visa ending in 4242.", string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_default_card_is_offered_the_unpaid_invoices_paid_one_payment_per_currency()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);
        await customer.InvoiceAsync("EUR", 40m);
        await customer.InvoiceAsync("EUR", 60m);
        await customer.InvoiceAsync("USD", 25m);

        Assert.Equal(HttpStatusCode.Redirect, (await customer.AddCardAsync("4242424242424242")).StatusCode);
        var page = PortalClient.Decode(await customer.Client.GetPageAsync(Page));

        Assert.Contains("Pay 3 unpaid invoices now with this card", page, StringComparison.Ordinal);
        Assert.Matches("<a [^>]*data-testid=\"pay-unpaid\"[^>]*href=\"/billing/pay\\?all=true\"|<a [^>]*href=\"/billing/pay\\?all=true\"[^>]*data-testid=\"pay-unpaid\"", page);
        Assert.DoesNotContain("data-testid=\"pay-unpaid\"", PortalClient.Decode(await customer.Client.GetPageAsync(Page)), StringComparison.Ordinal);   // offered once

        var result = PortalClient.Decode(await (await customer.Client.SubmitAsync("/billing/pay?all=true", new Dictionary<string, string>())).Content.ReadAsStringAsync());

        Assert.Contains("Payment received", result, StringComparison.Ordinal);
        var payments = await InBilling(factory, db => db.Payments.Where(p => p.CustomerId == customer.UserId).OrderBy(p => p.Currency).ToListAsync());
        Assert.Equal([("EUR", 100m), ("USD", 25m)], payments.Select(p => (p.Currency, p.Amount)));
        Assert.All(payments, p => Assert.Equal(PaymentStatus.Succeeded, p.Status));
        Assert.All(await InBilling(factory, db => db.Invoices.Where(i => i.CustomerId == customer.UserId).ToListAsync()), i => Assert.Equal(InvoiceStatus.Paid, i.Status));
    }

    [Fact]
    public async Task A_card_saved_without_unpaid_invoices_or_not_as_default_offers_nothing()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        Assert.DoesNotContain("data-testid=\"pay-unpaid\"", PortalClient.Decode(await customer.Client.GetPageAsync(Page)), StringComparison.Ordinal);
        await customer.InvoiceAsync("EUR", 40m);

        await customer.Client.SubmitAsync($"{Page}?handler=Add", new Dictionary<string, string>
        {
            ["Card.Number"] = "5555555555554444",
            ["Card.ExpiryMonth"] = "12",
            ["Card.ExpiryYear"] = "2031",
            ["Card.Cvc"] = "123",
            ["Card.MakeDefault"] = "false",
        });

        Assert.DoesNotContain("data-testid=\"pay-unpaid\"", PortalClient.Decode(await customer.Client.GetPageAsync(Page)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_overdue_invoice_gets_one_more_automatic_attempt_the_day_after_a_new_default_card_and_no_second()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 4, 10, 15, 0, 0, TimeSpan.Zero));
        await using var portal = new SqlitePortalFactory { Clock = clock };
        var customer = await BillingCustomer.SignUpAsync(portal, card: null);
        var overdue = await customer.InvoiceAsync("EUR", 90m, issuedUtc: new DateTime(2026, 2, 1, 9, 0, 0, DateTimeKind.Utc));
        var lastAttempt = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        await InBilling(portal, db => db.Invoices.Where(i => i.Id == overdue.InvoiceId).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, InvoiceStatus.Overdue).SetProperty(i => i.NextAutoPayUtc, (DateTime?)null)
            .SetProperty(i => i.AutoPayFailures, 4).SetProperty(i => i.LastAutoPayAttemptUtc, lastAttempt)));

        await customer.AddCardAsync("4000000000000002");   // declined when charged
        await RunJob(portal);
        Assert.Empty(await Payments(portal, customer));   // not on the day the card appeared

        clock.Advance(TimeSpan.FromDays(1));
        await RunJob(portal);
        var attempt = Assert.Single(await Payments(portal, customer));
        Assert.Equal((PaymentStatus.Failed, true), (attempt.Status, attempt.Automatic));
        Assert.Equal(InvoiceStatus.Overdue, (await InBilling(portal, db => db.Invoices.SingleAsync(i => i.Id == overdue.InvoiceId))).Status);

        await RunJob(portal);
        clock.Advance(TimeSpan.FromDays(1));
        await RunJob(portal);
        Assert.Single(await Payments(portal, customer));   // once per new default card

        await customer.Client.SignInAsync(customer.Email, customer.Password);   // the session of two days ago has expired
        await customer.TypeCardAsync("4242424242424242");   // another new default card
        clock.Advance(TimeSpan.FromDays(1));
        await RunJob(portal);
        await RunJob(portal);

        var payments = await Payments(portal, customer);
        Assert.Equal([PaymentStatus.Failed, PaymentStatus.Succeeded], payments.Select(p => p.Status));
        Assert.Equal("Visa ending in 4242", payments[1].MethodDescription);
        Assert.Equal(InvoiceStatus.Paid, (await InBilling(portal, db => db.Invoices.SingleAsync(i => i.Id == overdue.InvoiceId))).Status);
    }

    private static Task<List<Payment>> Payments(PortalFactory portal, BillingCustomer customer) =>
        InBilling(portal, db => db.Payments.Where(p => p.CustomerId == customer.UserId).OrderBy(p => p.CreatedUtc).ToListAsync());

    private static async Task RunJob(PortalFactory portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AutomaticPaymentJob>().RunAsync(CancellationToken.None);
    }
}
