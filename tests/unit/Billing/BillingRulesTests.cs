using ChaosModular.Billing.Domain;
using ChaosModular.Modules.Abstractions;

namespace ChaosModular.UnitTests.Billing;

public sealed class BillingRulesTests
{
    private static BillingSnapshot BillTo(string country = "DE", string? vat = null) =>
        new("Render GmbH", "Street 1", null, "Berlin", "10117", country, "billing@example.test", vat);

    [Fact]
    public void An_invoice_total_is_the_sum_of_its_rounded_lines_plus_rounded_tax()
    {
        var invoice = Invoice.Issue("INV-2026-000001", "c1", "EUR", new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc), 14, 19m, BillTo(),
        [
            ("Seats", 3m, 33.333m, null, null, null),        // 99.999 -> 100.00
            ("Prorated seat", 1m, 12.345m, null, null, null), // 12.345 -> 12.35 (half away from zero)
        ]);

        Assert.Equal([100.00m, 12.35m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal(112.35m, invoice.Subtotal);
        Assert.Equal(21.35m, invoice.Tax);                  // 21.3465 -> 21.35
        Assert.Equal(invoice.Lines.Sum(l => l.Amount) + invoice.Tax, invoice.Total);
        Assert.Equal(new DateTime(2026, 3, 15, 0, 0, 0, DateTimeKind.Utc), invoice.DueUtc);
    }

    [Fact]
    public void Yen_invoices_have_no_minor_unit()
    {
        var invoice = Invoice.Issue("INV-2026-000002", "c1", "JPY", DateTime.UtcNow, 14, 10m, BillTo("JP"), [("Plan", 1m, 1234.5m, null, null, null)]);

        Assert.Equal(1235m, invoice.Subtotal);
        Assert.Equal(124m, invoice.Tax);   // 123.5 -> 124
        Assert.Equal(1359m, invoice.Total);
    }

    [Fact]
    public void Partial_payment_leaves_the_rest_and_full_payment_settles()
    {
        var invoice = Invoice.Issue("INV-2026-000003", "c1", "USD", DateTime.UtcNow, 14, 0m, BillTo("US"), [("Plan", 1m, 100m, null, null, null)]);

        invoice.ApplyPayment(new Money(40m, "USD"), DateTime.UtcNow);
        Assert.Equal(InvoiceStatus.Open, invoice.Status);
        Assert.Equal(new Money(60m, "USD"), invoice.BalanceDue);

        invoice.ApplyPayment(new Money(60m, "USD"), DateTime.UtcNow);
        Assert.Equal(InvoiceStatus.Paid, invoice.Status);
        Assert.Throws<InvalidOperationException>(() => invoice.ApplyPayment(new Money(1m, "USD"), DateTime.UtcNow));
        Assert.Throws<InvalidOperationException>(() => Invoice.Issue("X", "c", "USD", DateTime.UtcNow, 1, 0, BillTo(), [("a", 1, 1m, null, null, null)]).ApplyPayment(new Money(1m, "EUR"), DateTime.UtcNow));
    }

    [Fact]
    public void Credits_apply_oldest_first_in_the_same_currency_and_never_beyond_the_amount_due()
    {
        var older = Guid.NewGuid();
        var newer = Guid.NewGuid();
        var dollars = Guid.NewGuid();
        var (uses, toCharge) = CreditApplication.Apply(new Money(100m, "EUR"),
        [
            (newer, new Money(80m, "EUR"), new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc)),
            (dollars, new Money(500m, "USD"), new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            (older, new Money(30m, "EUR"), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
        ]);

        Assert.Equal([new CreditApplication.Use(older, new Money(30m, "EUR")), new CreditApplication.Use(newer, new Money(70m, "EUR"))], uses);
        Assert.Equal(Money.Zero("EUR"), toCharge);
    }

    [Fact]
    public void Without_enough_credit_the_rest_is_charged()
    {
        var (uses, toCharge) = CreditApplication.Apply(new Money(100m, "EUR"), [(Guid.NewGuid(), new Money(30m, "EUR"), DateTime.UtcNow)]);

        Assert.Single(uses);
        Assert.Equal(new Money(70m, "EUR"), toCharge);
    }

    [Theory]
    [InlineData("DE123456789", "DE", null)]
    [InlineData("de 123.456-789", "DE", null)]
    [InlineData("ATU12345678", "AT", null)]
    [InlineData("EL123456789", "GR", null)]
    [InlineData("NL123456789B01", "NL", null)]
    [InlineData("FR12345678901", "FR", null)]
    [InlineData("IE1234567T", "IE", null)]
    [InlineData("BG175255722", "BG", null)]
    [InlineData("", "DE", null)]
    [InlineData("GB123456789", "GB", null)]                 // outside the EU: local tax number, characters only
    [InlineData("FR12345678901", "DE", "A VAT ID for this country starts with DE (for example DE123456789).")]
    [InlineData("DE12345678", "DE", "This is not a valid DE VAT ID. Expected a format like DE123456789.")]
    [InlineData("GR123456789", "GR", "A VAT ID for this country starts with EL (for example EL123456789).")]
    [InlineData("NL123456789A01", "NL", "This is not a valid NL VAT ID. Expected a format like NL123456789B01.")]
    [InlineData("AB!", "US", "A tax ID has 4 to 20 letters and digits.")]
    public void Vat_ids_are_checked_against_the_billing_countrys_format(string vatId, string country, string? error) =>
        Assert.Equal(error, VatId.Validate(vatId, country));

    [Theory]
    [InlineData(0, "2026-03-10")]
    [InlineData(1, "2026-03-13")]
    [InlineData(2, "2026-03-17")]
    [InlineData(3, "2026-03-24")]
    [InlineData(4, null)]
    public void Automatic_payment_retries_on_days_0_3_7_and_14_after_the_due_date(int failures, string? next)
    {
        var due = new DateTime(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc);

        Assert.Equal(next is null ? null : DateTime.Parse(next, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal),
            PaymentRetrySchedule.NextAttemptUtc(due, failures));
    }

    [Fact]
    public void An_invoice_becomes_overdue_when_the_retry_schedule_is_exhausted()
    {
        var invoice = Invoice.Issue("INV-2026-000004", "c1", "EUR", DateTime.UtcNow, 14, 0m, BillTo(), [("Plan", 1m, 10m, null, null, null)]);
        for (var i = 0; i < 3; i++)
        {
            invoice.AutoPayFailed();
            Assert.Equal(InvoiceStatus.Open, invoice.Status);
        }
        invoice.AutoPayFailed();

        Assert.Equal(InvoiceStatus.Overdue, invoice.Status);
        Assert.Null(invoice.NextAutoPayUtc);
    }

    [Theory]
    [InlineData("BG", "BG", null, 20)]        // domestic
    [InlineData("BG", "DE", "DE123456789", 0)] // EU business: reverse charge
    [InlineData("BG", "DE", null, 19)]        // EU consumer: customer's country rate
    [InlineData("BG", "US", null, 0)]         // outside the EU
    public void Vat_follows_the_seller_and_customer_countries(string seller, string customer, string? vat, decimal rate) =>
        Assert.Equal(rate, TaxPolicy.For(VatRates.Load(null), seller, customer, vat, new DateOnly(2026, 6, 1)).RatePercent);

    [Theory]
    [InlineData(2026, 3, "2026-03-31", false)]   // good through the last day of its month
    [InlineData(2026, 3, "2026-04-01", true)]
    [InlineData(2026, 12, "2026-12-31", false)]
    [InlineData(2026, 12, "2027-01-01", true)]
    public void A_card_expires_after_the_last_day_of_its_expiry_month(int year, int month, string today, bool expired)
    {
        var day = DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture);
        var card = PaymentMethod.Save("c1", "Visa", "4242", month, year, "tok", isDefault: true, DateTime.UtcNow);

        Assert.Equal(expired, card.IsExpiredOn(day));
        Assert.Equal(expired, PaymentMethod.IsExpiredOn(year, month, day));
        Assert.Equal($"{month:00}/{year}", card.Expiry);
    }

    [Theory]
    [InlineData("2026-03-14", "Open")]
    [InlineData("2026-03-15", "Open")]      // due today: not overdue yet
    [InlineData("2026-03-16", "Overdue")]   // the day after: overdue before the job marks it
    public void An_open_invoice_reads_overdue_from_the_day_after_its_due_date(string today, string shownAs)
    {
        var shown = Enum.Parse<InvoiceStatus>(shownAs);
        var invoice = Invoice.Issue("INV-2026-000005", "c1", "EUR", new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc), 14, 0m, BillTo(), [("Plan", 1m, 10m, null, null, null)]);
        var day = DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(shown, invoice.DisplayStatusOn(day));
        Assert.Equal(shown == InvoiceStatus.Overdue, invoice.IsOverdueOn(day));
        foreach (var status in Enum.GetValues<InvoiceStatus>())
        {
            Assert.Equal(status == shown, Invoice.ShownAs(status, day).Compile()(invoice));   // the query says what the page shows
        }
    }
}
