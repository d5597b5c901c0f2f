using System.Net;
using ChaosModular.Billing;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Features;
using Microsoft.Extensions.Options;

namespace ChaosModular.UnitTests.Billing;

/// <summary>
/// On PostgreSQL, tabs paying one invoice really at once: the first charge is held at the gateway until every other tab
/// has answered or reached the gateway too (<see cref="RaceHold"/>), so no tab can find the invoice already paid. The
/// claim answers the others that the invoice's payment is being confirmed and the card is charged once; with the claim switched off the
/// same race charges every tab, which is what proves the race can catch a double charge.
/// </summary>
public sealed class PaymentRaceTests
{
    private const int Tabs = 5;

    /// <summary>
    /// What a tab shows while another window's payment of the invoice is at the gateway (its payment is Pending until the
    /// gateway answers); a tab that came after it would see "There is nothing to pay" instead.
    /// </summary>
    private const string BeingPaidElsewhere = PaymentHolds.BeingConfirmedReason;

    private const string NothingToPay = "There is nothing to pay";

    private static PostgresPortalFactory Host(HoldingGateway gateway, bool claimPayments) => new()
    {
        TestServices = services =>
        {
            gateway.DecorateIn(services);
            if (!claimPayments)
            {
                services.PostConfigure<BillingOptions>(o => o.ClaimPayments = false);
            }
        },
    };

    /// <summary>Signs <see cref="Tabs"/> tabs in, opens the invoice's payment review in each, then confirms them all at once; returns each tab's page.</summary>
    private static async Task<string[]> PayInEveryTabAtOnceAsync(PortalFactory factory, BillingCustomer customer, Guid invoiceId, RaceHold hold)
    {
        var tabs = new List<(PortalClient Client, List<KeyValuePair<string, string>> Form)>();
        for (var i = 0; i < Tabs; i++)
        {
            var tab = new PortalClient(factory.CreatePortalClient());
            Assert.Equal(HttpStatusCode.Redirect, (await tab.SignInAsync(customer.Email, customer.Password)).StatusCode);
            tabs.Add((tab, await customer.ReviewPaymentAsync(invoiceId, tab)));
        }
        using var start = new SemaphoreSlim(0);
        var posts = tabs.Select(t => hold.RunAsync(async () =>
        {
            await start.WaitAsync();
            using var response = await customer.ConfirmPaymentAsync(invoiceId, t.Form, t.Client);
            return PortalClient.Decode(await response.Content.ReadAsStringAsync());
        })).ToList();
        start.Release(Tabs);
        return await Task.WhenAll(posts);
    }

    [Fact]
    public async Task Five_tabs_paying_one_invoice_while_the_first_charge_is_held_charge_it_once_and_four_see_it_being_paid_elsewhere()
    {
        var hold = new RaceHold(Tabs);
        var gateway = new HoldingGateway(hold);
        await using var factory = Host(gateway, claimPayments: true);
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("EUR", 120m);

        var pages = await PayInEveryTabAtOnceAsync(factory, customer, invoice.InvoiceId, hold);

        // One tab reached the gateway and was held there; the other four answered meanwhile, so they raced the claim, not a paid invoice.
        hold.AssertRaced(held: 1);
        Assert.Equal(1, gateway.Charges);
        Assert.Equal(1, pages.Count(p => p.Contains("Payment received", StringComparison.Ordinal)));
        Assert.Equal(Tabs - 1, pages.Count(p => p.Contains(BeingPaidElsewhere, StringComparison.Ordinal)));
        Assert.DoesNotContain(pages, p => p.Contains(NothingToPay, StringComparison.Ordinal));
        var payments = await BillingScope.InBilling(factory, db => db.Payments.Where(p => p.CustomerId == customer.UserId).ToListAsync());
        Assert.Equal((PaymentStatus.Succeeded, 120m), (Assert.Single(payments).Status, payments[0].Amount));
        var stored = await BillingScope.Stored(factory, invoice.InvoiceId);
        Assert.Equal((InvoiceStatus.Paid, 120m), (stored.Status, stored.AmountPaid));
    }

    [Fact]
    public async Task Without_the_claim_the_same_race_charges_every_tab()
    {
        var hold = new RaceHold(Tabs);
        var gateway = new HoldingGateway(hold);
        await using var factory = Host(gateway, claimPayments: false);
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("EUR", 120m);
        Assert.False(factory.Services.GetRequiredService<IOptions<BillingOptions>>().Value.ClaimPayments);

        var pages = await PayInEveryTabAtOnceAsync(factory, customer, invoice.InvoiceId, hold);

        // The double charge the test above must catch: every tab reached the gateway while the first was held.
        hold.AssertRaced(held: Tabs);
        Assert.Equal(Tabs, gateway.Charges);
        Assert.DoesNotContain(pages, p => p.Contains(BeingPaidElsewhere, StringComparison.Ordinal));
    }
}
