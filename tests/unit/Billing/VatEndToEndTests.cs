using System.Net;
using ChaosModular.Billing.Contracts;
using ChaosModular.Modules.Abstractions;
using UglyToad.PdfPig;

namespace ChaosModular.UnitTests.Billing;

/// <summary>
/// VAT as a customer sees it: invoices issued through Billing's contract to customers in different places, each checked for
/// its rate, tax and total to the cent and for the VAT row and note of the PDF the customer downloads. The seller is
/// Bulgarian (Billing:Seller:Country's default) unless a test says otherwise.
/// </summary>
public sealed class VatEndToEndTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    private const string ReverseChargeNote = "Reverse charge: VAT to be accounted for by the recipient.";

    /// <summary>3 × 33.33 EUR: a subtotal whose tax needs rounding at every rate.</summary>
    private static CreateInvoiceLine Line => new("Chaos Vantage annual", 3, 33.33m, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), "vantage");

    [Theory]
    [InlineData("BG", null, 20, "20.00", "119.99", "VAT 20 % 20.00", false)]                              // domestic consumer
    [InlineData("BG", "BG123456789", 20, "20.00", "119.99", "VAT 20 % 20.00", false)]                     // domestic business: still domestic VAT
    [InlineData("FI", null, 25.5, "25.50", "125.49", "VAT 25.5 % (FI) 25.50", false)]                     // EU consumer: Finland's rate since 2024-09-01
    [InlineData("DE", "DE123456789", 0, "0.00", "99.99", "VAT 0 % (reverse charge) 0.00", true)]          // EU business
    [InlineData("GR", "EL123456789", 0, "0.00", "99.99", "VAT 0 % (reverse charge) 0.00", true)]          // Greece: VAT IDs start with EL
    [InlineData("US", "123456789", 0, "0.00", "99.99", "VAT 0 % (outside the scope of EU VAT) 0.00", false)] // outside the EU, with a local tax ID
    public async Task An_invoice_issued_through_the_contract_carries_the_vat_of_the_customers_place(
        string country, string? vatId, decimal rate, string tax, string total, string vatRow, bool reverseCharge)
    {
        var customer = await BillingCustomer.SignUpAsync(factory, country, vatId, card: null);

        await AssertInvoicedAsync(customer, rate, tax, total, vatRow, reverseCharge);
    }

    [Fact]
    public async Task A_dutch_seller_charges_dutch_customers_its_rate_and_businesses_elsewhere_nothing()
    {
        await using var dutchSeller = new SqlitePortalFactory();
        dutchSeller.With("Billing:Seller:Country", "NL");
        var dutchConsumer = await BillingCustomer.SignUpAsync(dutchSeller, "NL", null, card: null);
        var dutchBusiness = await BillingCustomer.SignUpAsync(dutchSeller, "NL", "NL123456789B01", card: null);
        var germanBusiness = await BillingCustomer.SignUpAsync(dutchSeller, "DE", "DE123456789", card: null);
        var bulgarianBusiness = await BillingCustomer.SignUpAsync(dutchSeller, "BG", "BG123456789", card: null);
        var bulgarianConsumer = await BillingCustomer.SignUpAsync(dutchSeller, "BG", null, card: null);

        await AssertInvoicedAsync(dutchConsumer, 21m, "21.00", "120.99", "VAT 21 % 21.00", reverseCharge: false);
        await AssertInvoicedAsync(dutchBusiness, 21m, "21.00", "120.99", "VAT 21 % 21.00", reverseCharge: false);   // domestic now
        await AssertInvoicedAsync(germanBusiness, 0m, "0.00", "99.99", "VAT 0 % (reverse charge) 0.00", reverseCharge: true);
        await AssertInvoicedAsync(bulgarianBusiness, 0m, "0.00", "99.99", "VAT 0 % (reverse charge) 0.00", reverseCharge: true);   // abroad now
        await AssertInvoicedAsync(bulgarianConsumer, 20m, "20.00", "119.99", "VAT 20 % (BG) 20.00", reverseCharge: false);
    }

    private static async Task AssertInvoicedAsync(BillingCustomer customer, decimal rate, string tax, string total, string vatRow, bool reverseCharge)
    {
        var invoice = await BillingScope.WithApi(customer.Factory, api => api.CreateInvoiceAsync(new CreateInvoice(customer.UserId, "EUR", [Line]), CancellationToken.None));

        var stored = await BillingScope.Stored(customer.Factory, invoice.InvoiceId);
        Assert.Equal((rate, 99.99m, Amount(tax), Amount(total)), (stored.TaxRatePercent, stored.Subtotal, stored.Tax, stored.Total));
        Assert.Equal(stored.Subtotal + stored.Tax, stored.Total);
        Assert.Equal(new Money(Amount(total), "EUR"), invoice.Total);
        var pdf = await PdfLinesAsync(customer, invoice.InvoiceId);
        Assert.Contains("Subtotal 99.99", pdf);
        Assert.Contains(vatRow, pdf);
        Assert.Contains($"Total (EUR) {total}", pdf);
        if (reverseCharge)
        {
            Assert.Contains(ReverseChargeNote, pdf);
        }
        else
        {
            Assert.DoesNotContain(pdf, line => line.Contains("reverse charge", StringComparison.OrdinalIgnoreCase));
        }
    }

    private static decimal Amount(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The invoice's PDF as its owner downloads it, read back line by line (words on one baseline, left to right).</summary>
    internal static async Task<IReadOnlyList<string>> PdfLinesAsync(BillingCustomer customer, Guid invoiceId)
    {
        var response = await customer.Client.Http.GetAsync(new Uri(BillingRoutes.InvoicePdf(invoiceId), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        return pdf.GetPages()
            .SelectMany(page => page.GetWords()
                .GroupBy(w => Math.Round(w.BoundingBox.Bottom))
                .OrderByDescending(line => line.Key)
                .Select(line => string.Join(" ", line.OrderBy(w => w.BoundingBox.Left).Select(w => w.Text))))
            .ToList();
    }
}
