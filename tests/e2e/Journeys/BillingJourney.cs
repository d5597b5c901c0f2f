using ChaosModular.E2E.Harness;
using ChaosModular.E2E.Pages;
using ChaosModular.E2E.Seeding;

namespace ChaosModular.E2E.Journeys;

/// <summary>
/// A customer's billing, end to end in Chromium against the real Web and Worker processes. Each journey seeds its
/// own customer (a German business billed with reverse charge, so an invoice's total is what was invoiced) with the
/// invoices, credit and card it needs.
/// </summary>
public sealed class BillingJourney(PortalFixture portal, ITestOutputHelper output) : PortalTest(portal, output)
{
    private const string SellerVatId = "BG175255722";
    private const string ReceiptSubject = "Receipt for your ChaosModular payment";
    private const string Declined = "Your card was declined.";

    [Fact]
    public Task Pays_the_overdue_invoice_after_credits_a_declined_card_pays_nothing_then_pays_selected_and_all() => JourneyAsync(async page =>
    {
        var customer = await SeedAsync(CustomerBuilder.For()
            .WithGermanBusiness("Ada Visualisation GmbH")
            .WithCard("4242")
            .WithCredit("EUR", 50m)
            .WithPaidInvoice("EUR", 1398m, monthsAgo: 13)
            .WithPaidInvoice("USD", 658.80m, monthsAgo: 11)
            .WithPaidInvoice("EUR", 49.90m, monthsAgo: 7)
            .WithOverdueInvoice("EUR", 116.50m)
            .WithOpenInvoice("EUR", 165m)
            .WithOpenInvoice("USD", 115.80m));
        var invoices = await SignInAndOpenBillingAsync(page, customer);
        var overdue = await invoices.NumberOfInvoiceWithTotalAsync("116.50 EUR");
        var openEur = await invoices.NumberOfInvoiceWithTotalAsync("165.00 EUR");
        var openUsd = await invoices.NumberOfInvoiceWithTotalAsync("115.80 USD");
        await Expect(invoices.Row(overdue).Status).ToHaveTextAsync("Overdue");
        await Expect(invoices.Row(openEur).Status).ToHaveTextAsync("Open");
        await Expect(invoices.Row(openUsd).Status).ToHaveTextAsync("Open");
        await Expect(invoices.OutstandingAmounts).ToHaveTextAsync(["281.50 EUR", "115.80 USD"]);
        await Expect(invoices.Credits).ToContainTextAsync("50.00 EUR");

        // 1. Pay one (the overdue invoice): the credit is applied first, the card pays the rest.
        var pay = await invoices.PayAsync(overdue);
        await Expect(pay.Reviews).ToHaveCountAsync(1);
        await Expect(pay.ReviewedInvoices("EUR")).ToHaveTextAsync([overdue]);
        await Expect(pay.CreditApplied("EUR")).ToHaveTextAsync("− 50.00 EUR");
        await Expect(pay.ToCharge("EUR")).ToHaveTextAsync("66.50 EUR");
        await Expect(pay.PaymentMethod).ToContainTextAsync("Visa ending in 4242");
        await pay.PayNowAsync();
        await Expect(pay.Declined).ToHaveCountAsync(0);
        await Expect(pay.Received).ToHaveCountAsync(1);
        await Expect(pay.Received).ToContainTextAsync($"Invoices {overdue} are paid.");
        await Expect(pay.Received).ToContainTextAsync("Credits applied: 50.00 EUR.");
        await Expect(pay.Received).ToContainTextAsync("Charged: 66.50 EUR.");
        invoices = await pay.GotItAsync();
        await Expect(invoices.Row(overdue).Status).ToHaveTextAsync("Paid");
        await Expect(invoices.Row(overdue).PayLink).ToHaveCountAsync(0);
        await Expect(invoices.Row(overdue).Checkbox).ToHaveCountAsync(0);
        await Expect(invoices.OutstandingAmounts).ToHaveTextAsync(["165.00 EUR", "115.80 USD"]);
        await Expect(invoices.Credits).ToHaveTextAsync("None");

        // 2. A card that is declined when charged, made the default: paying the two others (one per currency) pays nothing.
        var methods = await PaymentMethodsPage.OpenAsync(page);
        await methods.AddCardAsync("4000000000000002", 12, DateTime.UtcNow.Year + 3, "123");
        await Expect(methods.DefaultBadge("0002")).ToBeVisibleAsync();
        await Expect(methods.DefaultBadge("4242")).ToHaveCountAsync(0);
        invoices = await InvoicesPage.OpenAsync(page);
        pay = await invoices.PaySelectedAsync(openEur, openUsd);
        await Expect(pay.Reviews).ToHaveCountAsync(2);
        await Expect(pay.ReviewedInvoices("EUR")).ToHaveTextAsync([openEur]);
        await Expect(pay.ReviewedInvoices("USD")).ToHaveTextAsync([openUsd]);
        await Expect(pay.ToCharge("EUR")).ToHaveTextAsync("165.00 EUR");
        await Expect(pay.ToCharge("USD")).ToHaveTextAsync("115.80 USD");
        await Expect(pay.PaymentMethod).ToContainTextAsync("Visa ending in 0002");
        await pay.PayNowAsync();
        await Expect(pay.Received).ToHaveCountAsync(0);
        await Expect(pay.Declined).ToHaveCountAsync(2);
        await Expect(pay.Declined.Filter(new() { HasText = "Payment in EUR not completed" })).ToContainTextAsync(Declined);
        await Expect(pay.Declined.Filter(new() { HasText = "Payment in USD not completed" })).ToContainTextAsync(Declined);
        await Expect(pay.DeclineReasons).ToHaveTextAsync([Declined, Declined]);
        await Expect(pay.Result).ToContainTextAsync("Nothing was paid");
        invoices = await pay.GotItAsync();
        await Expect(invoices.Row(openEur).Status).ToHaveTextAsync("Open");
        await Expect(invoices.Row(openUsd).Status).ToHaveTextAsync("Open");
        await Expect(invoices.OutstandingAmounts).ToHaveTextAsync(["165.00 EUR", "115.80 USD"]);

        // The Visa pays again.
        methods = await PaymentMethodsPage.OpenAsync(page);
        await methods.MakeDefaultAsync("4242");
        await Expect(methods.DefaultBadge("4242")).ToBeVisibleAsync();
        await Expect(methods.DefaultBadge("0002")).ToHaveCountAsync(0);

        // 3. Pay selected: only the ticked EUR invoice is reviewed and paid; the USD one stays open.
        invoices = await InvoicesPage.OpenAsync(page);
        pay = await invoices.PaySelectedAsync(openEur);
        await Expect(pay.Reviews).ToHaveCountAsync(1);
        await Expect(pay.ReviewedInvoices("EUR")).ToHaveTextAsync([openEur]);
        await Expect(pay.CreditApplied("EUR")).ToHaveTextAsync("− 0.00 EUR");
        await Expect(pay.ToCharge("EUR")).ToHaveTextAsync("165.00 EUR");
        await Expect(pay.PaymentMethod).ToContainTextAsync("Visa ending in 4242");
        await pay.PayNowAsync();
        await Expect(pay.Declined).ToHaveCountAsync(0);
        await Expect(pay.Received).ToHaveCountAsync(1);
        await Expect(pay.Received).ToContainTextAsync($"Invoices {openEur} are paid.");
        await Expect(pay.Received).ToContainTextAsync("Charged: 165.00 EUR.");
        invoices = await pay.GotItAsync();
        await Expect(invoices.Row(openEur).Status).ToHaveTextAsync("Paid");
        await Expect(invoices.Row(openUsd).Status).ToHaveTextAsync("Open");
        await Expect(invoices.OutstandingAmounts).ToHaveTextAsync(["115.80 USD"]);

        // 4. Pay all: whatever is left (the USD invoice); then there is nothing to pay.
        pay = await invoices.PayAllAsync();
        await Expect(pay.Reviews).ToHaveCountAsync(1);
        await Expect(pay.ReviewedInvoices("USD")).ToHaveTextAsync([openUsd]);
        await Expect(pay.ToCharge("USD")).ToHaveTextAsync("115.80 USD");
        await pay.PayNowAsync();
        await Expect(pay.Declined).ToHaveCountAsync(0);
        await Expect(pay.Received).ToHaveCountAsync(1);
        await Expect(pay.Received).ToContainTextAsync($"Invoices {openUsd} are paid.");
        await Expect(pay.Received).ToContainTextAsync("Charged: 115.80 USD.");
        invoices = await pay.GotItAsync();
        await Expect(invoices.Outstanding).ToHaveTextAsync("Nothing to pay");
        await Expect(invoices.PayAllLink).ToHaveCountAsync(0);
        await Expect(invoices.Rows).ToHaveCountAsync(customer.InvoiceCount);
        await Expect(invoices.Rows.GetByTestId("status")).ToHaveTextAsync(Enumerable.Repeat("Paid", customer.InvoiceCount));
        await Expect(invoices.Table.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(0);

        // 7. A receipt (sent by the Worker) for each successful payment, none for the declined one.
        await ExpectReceiptAsync(customer, overdue);
        await ExpectReceiptAsync(customer, openEur);
        await ExpectReceiptAsync(customer, openUsd);
        Assert.Equal(3, Receipts(customer).Count);
    });

    [Fact]
    public Task Finds_an_invoice_by_number_and_downloads_its_PDF_made_out_to_the_customer() => JourneyAsync(async page =>
    {
        var customer = await SeedAsync(CustomerBuilder.For()
            .WithGermanBusiness("Ada Visualisation GmbH")
            .WithCard("4242")
            .WithPaidInvoice("EUR", 1398m)
            .WithOpenInvoice("EUR", 165m));
        var invoices = await SignInAndOpenBillingAsync(page, customer);
        var number = await invoices.NumberOfInvoiceWithTotalAsync("165.00 EUR");

        await invoices.FilterAsync(number: number);
        await Expect(invoices.Rows).ToHaveCountAsync(1);
        await Expect(invoices.Row(number).Locator).ToBeVisibleAsync();
        await Expect(invoices.InvoiceNumberFilter).ToHaveValueAsync(number);

        var (fileName, pdf) = await invoices.DownloadPdfAsync(number);
        Assert.Equal($"{number}.pdf", fileName);
        var text = PdfText.Extract(pdf);
        Assert.Contains(number, text, StringComparison.Ordinal);
        Assert.Contains(customer.BillingName, text, StringComparison.Ordinal);
        Assert.Contains(customer.VatId, text, StringComparison.Ordinal);
        Assert.Contains("Total (EUR) 165.00", text, StringComparison.Ordinal);
        Assert.Contains(SellerVatId, text, StringComparison.Ordinal);

        // What the link serves, fetched with the browser's cookies: a PDF named after the invoice.
        var href = await invoices.Row(number).PdfLink.GetAttributeAsync("href");
        var response = await page.APIRequest.GetAsync(href!);
        Assert.Equal(200, response.Status);
        Assert.Equal("application/pdf", response.Headers["content-type"]);
        Assert.Contains($"filename={number}.pdf", response.Headers["content-disposition"], StringComparison.Ordinal);

        // A browser that is not signed in gets no PDF at that address.
        var stranger = await NewBrowserSessionAsync();
        var anonymous = await stranger.APIRequest.GetAsync(href!, new() { MaxRedirects = 0 });
        Assert.True(anonymous.Status is 302 or 401 or 404, $"Without signing in, {href} answered {anonymous.Status}.");
        Assert.NotEqual("application/pdf", anonymous.Headers.GetValueOrDefault("content-type"));
    });

    [Fact]
    public Task An_invalid_VAT_ID_saves_nothing_a_valid_change_saves_and_issued_invoices_keep_the_old_name() => JourneyAsync(async page =>
    {
        var customer = await SeedAsync(CustomerBuilder.For()
            .WithGermanBusiness("Ada Visualisation GmbH")
            .WithOpenInvoice("USD", 115.80m));
        var invoices = await SignInAndOpenBillingAsync(page, customer);
        var issued = await invoices.NumberOfInvoiceWithTotalAsync("115.80 USD");

        var information = await BillingInformationPage.OpenAsync(page);
        await Expect(information.Name).ToHaveValueAsync(customer.BillingName);
        await Expect(information.Country).ToHaveValueAsync("DE");
        await Expect(information.BillingEmail).ToHaveValueAsync(customer.Email);
        await Expect(information.VatId).ToHaveValueAsync(customer.VatId);

        // A French VAT ID for a German address: the message, and nothing saved.
        await information.Name.FillAsync("Demo Rendering AG");
        await information.VatId.FillAsync("FR12345678901");
        await information.SaveAsync();
        await Expect(information.VatError).ToContainTextAsync("A VAT ID for this country starts with DE");
        await Expect(information.Flash).ToHaveCountAsync(0);
        information = await BillingInformationPage.OpenAsync(page);
        await Expect(information.Name).ToHaveValueAsync(customer.BillingName);
        await Expect(information.VatId).ToHaveValueAsync(customer.VatId);
        await Expect(information.VatError).ToBeEmptyAsync();

        // A valid change is saved (the billing email stays, so receipts still reach the customer).
        await information.Name.FillAsync("Demo Rendering AG");
        await information.Address.FillAsync("Unter den Linden 1");
        await information.PostalCode.FillAsync("10117");
        await information.City.FillAsync("Berlin");
        await information.VatId.FillAsync("DE987654321");
        await information.SaveAsync();
        await Expect(information.Flash).ToContainTextAsync("Billing information saved.");
        await Expect(information.Name).ToHaveValueAsync("Demo Rendering AG");
        await Expect(information.Address).ToHaveValueAsync("Unter den Linden 1");
        await Expect(information.VatId).ToHaveValueAsync("DE987654321");
        await Expect(information.VatError).ToBeEmptyAsync();

        // An invoice issued before keeps the name and VAT ID it was issued with.
        invoices = await InvoicesPage.OpenAsync(page);
        var (_, pdf) = await invoices.DownloadPdfAsync(issued);
        var text = PdfText.Extract(pdf);
        Assert.Contains(issued, text, StringComparison.Ordinal);
        Assert.Contains(customer.BillingName, text, StringComparison.Ordinal);
        Assert.Contains(customer.VatId, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Demo Rendering AG", text, StringComparison.Ordinal);
        Assert.DoesNotContain("DE987654321", text, StringComparison.Ordinal);
    });

    /// <summary>Signs the customer in and follows the main menu to Billing, which lists every invoice seeded.</summary>
    private static async Task<InvoicesPage> SignInAndOpenBillingAsync(IPage page, SeededCustomer customer)
    {
        var products = await (await SignInPage.OpenAsync(page)).SignInAsync(customer.Email, customer.Password);
        await products.Menu.Link("Billing").ClickAsync();
        var invoices = new InvoicesPage(page);
        await invoices.ExpectOpenAsync();
        await Expect(invoices.Rows).ToHaveCountAsync(customer.InvoiceCount);
        return invoices;
    }

    /// <summary>The receipts sent to this customer (the portal's other journeys get theirs too).</summary>
    private IReadOnlyList<ReceivedEmail> Receipts(SeededCustomer customer) =>
        Mailbox.All.Where(m => m.Subject.StartsWith(ReceiptSubject, StringComparison.Ordinal) &&
                               m.To.Contains(customer.Email, StringComparer.OrdinalIgnoreCase)).ToList();

    /// <summary>
    /// Waits for the receipt of the payment of these invoices: to the billing email, subject "Receipt for your
    /// ChaosModular payment…", one PDF attachment "receipt-…" that says Receipt and names the invoices.
    /// </summary>
    private async Task ExpectReceiptAsync(SeededCustomer customer, params string[] invoiceNumbers)
    {
        var receipt = await Mailbox.WaitForAsync(
            $"receipt for {string.Join(", ", invoiceNumbers)} to {customer.Email}",
            m => m.Subject.StartsWith(ReceiptSubject, StringComparison.Ordinal) &&
                 m.To.Contains(customer.Email, StringComparer.OrdinalIgnoreCase) &&
                 m.Attachments.Any(a => invoiceNumbers.All(TextOf(a).Contains)));
        Assert.Equal([customer.Email], receipt.To);
        var attachment = Assert.Single(receipt.Attachments);
        Assert.Equal("application/pdf", attachment.ContentType);
        Assert.StartsWith("receipt-", attachment.FileName, StringComparison.Ordinal);
        Assert.EndsWith(".pdf", attachment.FileName, StringComparison.Ordinal);
        // The PDF's title reads "RECEIPT"; a reader does not care about the case.
        Assert.Contains("Receipt", TextOf(attachment), StringComparison.OrdinalIgnoreCase);

        static string TextOf(ReceivedAttachment attachment)
        {
            try
            {
                return PdfText.Extract(attachment.Content);
            }
            catch (Exception)
            {
                return "";   // not a PDF: the assertions above say so
            }
        }
    }
}
