using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Gateways;

namespace ChaosModular.UnitTests.Billing;

/// <summary>A portal whose gateway counts the charges that reach it (the Simulated gateway behind it decides them).</summary>
public sealed class CountingGatewayPortalFactory : SqlitePortalFactory
{
    public CountingGatewayPortalFactory() => TestServices = s => s.AddSingleton<IPaymentGateway>(Gateway);

    internal CountingGateway Gateway { get; } = new();
}

/// <summary>
/// Credits at the edges of a payment: covering all of it (the card is never asked) and spent on a payment whose card
/// is declined (they come back). Credits covering part of it are in <see cref="BillingPagesTests"/>.
/// </summary>
public sealed class CreditEdgeCaseTests(CountingGatewayPortalFactory factory) : IClassFixture<CountingGatewayPortalFactory>
{
    [Theory]
    [InlineData(100, 0)]     // exactly the amount due
    [InlineData(150, 50)]    // more than due: the rest stays for later invoices
    public async Task Credits_covering_the_whole_amount_pay_the_invoice_and_the_card_is_not_charged(decimal credit, decimal left)
    {
        var customer = await BillingCustomer.SignUpAsync(factory);   // DE with a VAT ID: reverse charge, the total is the price
        await GrantAsync(customer, credit, "EUR");
        var invoice = await customer.InvoiceAsync("EUR", 100m);
        var charges = factory.Gateway.Charges;

        var page = await customer.PayAsync(invoice.InvoiceId);

        Assert.Contains("Credits applied: 100.00 EUR. Charged: 0.00 EUR.", Normalize(page), StringComparison.Ordinal);
        Assert.Equal(charges, factory.Gateway.Charges);
        var payment = await BillingScope.InBilling(factory, db => db.Payments.AsNoTracking().SingleAsync(p => p.CustomerId == customer.UserId));
        Assert.Equal((PaymentStatus.Succeeded, 0m, 100m, (Guid?)null), (payment.Status, payment.Amount, payment.CreditApplied, payment.PaymentMethodId));
        var stored = await BillingScope.Stored(factory, invoice.InvoiceId);
        Assert.Equal((InvoiceStatus.Paid, 0m), (stored.Status, stored.Balance));
        Assert.Equal(left, await RemainingAsync(customer, "EUR"));
    }

    [Fact]
    public async Task Credits_covering_the_whole_amount_pay_without_any_card_saved()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);
        await GrantAsync(customer, 100m, "EUR");
        var invoice = await customer.InvoiceAsync("EUR", 100m);

        var page = await customer.PayAsync(invoice.InvoiceId);

        Assert.Contains("Payment received", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Add a payment method before paying", page, StringComparison.Ordinal);
        Assert.Equal(InvoiceStatus.Paid, (await BillingScope.Stored(factory, invoice.InvoiceId)).Status);
    }

    [Fact]
    public async Task A_declined_card_gives_back_the_credits_the_payment_had_spent()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000000002");
        await GrantAsync(customer, 30m, "EUR");
        await GrantAsync(customer, 20m, "USD");   // another currency's credit is not touched either way
        var invoice = await customer.InvoiceAsync("EUR", 100m);
        var charges = factory.Gateway.Charges;

        var page = await customer.PayAsync(invoice.InvoiceId);

        Assert.Contains("Your card was declined.", page, StringComparison.Ordinal);
        Assert.Equal(charges + 1, factory.Gateway.Charges);   // the card was asked for the 70.00 the credits did not cover
        Assert.Equal((30m, 20m), (await RemainingAsync(customer, "EUR"), await RemainingAsync(customer, "USD")));
        var payment = await BillingScope.InBilling(factory, db => db.Payments.AsNoTracking().SingleAsync(p => p.CustomerId == customer.UserId));
        Assert.Equal((PaymentStatus.Failed, 70m), (payment.Status, payment.Amount));
        Assert.False(await BillingScope.InBilling(factory, db => db.CreditUses.AnyAsync(u => u.PaymentId == payment.Id)));
        var stored = await BillingScope.Stored(factory, invoice.InvoiceId);
        Assert.Equal((InvoiceStatus.Open, 100m, (Guid?)null), (stored.Status, stored.Balance, stored.PaymentLockId));
        // The next review offers the same credits again.
        var review = PortalClient.Decode(await customer.Client.GetPageAsync($"/billing/pay?ids={invoice.InvoiceId}"));
        Assert.Contains("data-testid=\"credit-applied\">− 30.00 EUR", review, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"to-charge\">70.00 EUR", review, StringComparison.Ordinal);
    }

    private async Task GrantAsync(BillingCustomer customer, decimal amount, string currency)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        db.Credits.Add(Credit.Grant(customer.UserId, currency, amount, "Goodwill", DateTime.UtcNow));
        await db.SaveChangesAsync();
    }

    private async Task<decimal> RemainingAsync(BillingCustomer customer, string currency) =>
        (await BillingScope.InBilling(factory, db => db.Credits.AsNoTracking().Where(c => c.CustomerId == customer.UserId && c.Currency == currency).ToListAsync()))
            .Sum(c => c.Remaining);

    private static string Normalize(string html) => System.Text.RegularExpressions.Regex.Replace(html, @"\s+", " ");
}
