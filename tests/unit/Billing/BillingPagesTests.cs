using System.Net;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using UglyToad.PdfPig;

namespace ChaosModular.UnitTests.Billing;

public sealed class BillingPagesTests(DemoSqlitePortalFactory factory) : IClassFixture<DemoSqlitePortalFactory>
{
    private async Task<string> Page(PortalClient client, string path) => PortalClient.Decode(await client.GetPageAsync(path));

    private async Task<T> InBilling<T>(Func<BillingDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<BillingDbContext>());
    }

    [Fact]
    public async Task The_demo_customer_sees_balances_per_currency_credits_and_history()
    {
        var demo = new PortalClient(factory.CreatePortalClient());
        await demo.SignInAsync(factory.DemoEmail, factory.DemoPassword);

        var page = await Page(demo, "/billing");

        Assert.Matches("data-testid=\"outstanding\">\\s*<li>281.50 EUR</li>\\s*<li>115.80 USD</li>", page);
        Assert.Contains("<li>50.00 EUR</li>", page, StringComparison.Ordinal);
        Assert.Equal(6, CountRows(page));
        Assert.Contains(">Overdue<", page, StringComparison.Ordinal);
        Assert.Equal(3, CountRows(await Page(demo, "/billing?status=Paid")));
        Assert.Equal(3, CountRows(await Page(demo, "/billing?status=Unpaid")));
    }

    [Fact]
    public async Task Links_keep_their_addresses()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("EUR", 10m);

        var list = await Page(customer.Client, "/billing");
        var pay = await Page(customer.Client, $"/billing/pay?ids={invoice.InvoiceId}");

        foreach (var link in new[] { "href=\"/billing\"", "href=\"/billing/payment-methods\"", "href=\"/billing/information\"", "href=\"/billing/pay?all=true\"",
            $"href=\"/billing/pay?ids={invoice.InvoiceId}\"", $"href=\"/billing/invoices/{invoice.InvoiceId}/pdf\"", "action=\"/billing/pay\"" })
        {
            Assert.Contains(link, list, StringComparison.Ordinal);
        }
        Assert.Contains("href=\"/billing\">Clear", list, StringComparison.Ordinal);
        Assert.Contains("href=\"/billing\">Cancel", pay, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_filters_and_paging_live_in_the_url()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var first = await customer.InvoiceAsync("EUR", 10m, issuedUtc: new DateTime(2025, 1, 5, 9, 0, 0, DateTimeKind.Utc));
        for (var i = 0; i < 44; i++)
        {
            await customer.InvoiceAsync(i % 2 == 0 ? "EUR" : "USD", 10m + i, issuedUtc: new DateTime(2026, 1, 1, 9, 0, 0, DateTimeKind.Utc).AddDays(i));
        }

        var page1 = await Page(customer.Client, "/billing");
        Assert.Equal(20, CountRows(page1));
        Assert.Contains("Page 1 of 3 (45 invoices)", page1, StringComparison.Ordinal);
        Assert.DoesNotContain("p=0\"", page1, StringComparison.Ordinal);   // a disabled Previous links nowhere
        var page3 = await Page(customer.Client, "/billing?p=3");
        Assert.Equal(5, CountRows(page3));
        Assert.DoesNotContain("p=4\"", page3, StringComparison.Ordinal);

        var found = await Page(customer.Client, $"/billing?q={first.Number.ToLowerInvariant()}");
        Assert.Equal(1, CountRows(found));
        Assert.Contains(first.Number, found, StringComparison.Ordinal);

        var january2025 = await Page(customer.Client, "/billing?from=2025-01-01&to=2025-01-31");
        Assert.Equal(1, CountRows(january2025));
        var february = await Page(customer.Client, "/billing?from=2026-02-01&to=2026-02-10&status=Unpaid");
        Assert.Equal(10, CountRows(february));
        Assert.Contains("href=\"/billing?status=Unpaid&from=2026-01-01&p=2\"", await Page(customer.Client, "/billing?status=Unpaid&from=2026-01-01"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paying_one_invoice_charges_the_default_card_and_records_the_payment()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("EUR", 100m);

        var review = await Page(customer.Client, $"/billing/pay?ids={invoice.InvoiceId}");
        Assert.Contains("Visa ending in 4242", review, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"to-charge\">100.00 EUR", review, StringComparison.Ordinal);   // reverse charge: DE customer with VAT ID

        var result = await customer.PayAsync(invoice.InvoiceId);

        Assert.Contains("Payment received", result, StringComparison.Ordinal);
        Assert.Contains(invoice.Number, result, StringComparison.Ordinal);
        var stored = await InBilling(db => db.Invoices.SingleAsync(i => i.Id == invoice.InvoiceId));
        Assert.Equal(InvoiceStatus.Paid, stored.Status);
        var payment = await InBilling(db => db.Payments.Include(p => p.Allocations).SingleAsync(p => p.CustomerId == customer.UserId));
        Assert.Equal(100m, payment.Amount);
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        Assert.Equal(invoice.InvoiceId, Assert.Single(payment.Allocations).InvoiceId);
    }

    [Fact]
    public async Task A_declined_card_shows_the_reason_and_leaves_every_invoice_unpaid()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000000002");
        var a = await customer.InvoiceAsync("EUR", 40m);
        var b = await customer.InvoiceAsync("EUR", 60m);

        var result = await customer.PayAsync(a.InvoiceId, b.InvoiceId);

        Assert.Contains("Your card was declined.", result, StringComparison.Ordinal);
        Assert.All(await InBilling(db => db.Invoices.Where(i => i.CustomerId == customer.UserId).ToListAsync()), i =>
        {
            Assert.Equal(InvoiceStatus.Open, i.Status);
            Assert.Equal(0m, i.AmountPaid);
            Assert.Null(i.PaymentLockId);
        });
        Assert.Equal(PaymentStatus.Failed, (await InBilling(db => db.Payments.SingleAsync(p => p.CustomerId == customer.UserId))).Status);
    }

    [Fact]
    public async Task Insufficient_funds_is_explained_too()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000009995");
        var invoice = await customer.InvoiceAsync("USD", 25m);

        Assert.Contains("Your card has insufficient funds.", await customer.PayAsync(invoice.InvoiceId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pay_all_makes_one_payment_per_currency()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        await customer.InvoiceAsync("EUR", 10m);
        await customer.InvoiceAsync("EUR", 20m);
        await customer.InvoiceAsync("USD", 30m);

        var response = await customer.Client.SubmitAsync("/billing/pay?all=true", new Dictionary<string, string>());
        var text = PortalClient.Decode(await response.Content.ReadAsStringAsync());

        Assert.Equal(2, text.Split("Payment received").Length - 1);
        var payments = await InBilling(db => db.Payments.Where(p => p.CustomerId == customer.UserId).ToListAsync());
        Assert.Equal([("EUR", 30m), ("USD", 30m)], payments.OrderBy(p => p.Currency).Select(p => (p.Currency, p.Amount)));
        Assert.Equal("Nothing to pay", (await Page(customer.Client, "/billing")).Contains("Nothing to pay", StringComparison.Ordinal) ? "Nothing to pay" : "");
    }

    [Fact]
    public async Task Pay_all_pays_only_the_invoices_its_review_showed()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var reviewed = await customer.InvoiceAsync("EUR", 10m);
        var html = await customer.Client.GetPageAsync("/billing/pay?all=true");
        var issuedSince = await customer.InvoiceAsync("EUR", 500m);   // e.g. a renewal issued while the review was open

        await customer.Client.Http.PostAsync(new Uri("/billing/pay?all=true", UriKind.Relative),
            new FormUrlEncodedContent(PortalClient.HiddenFields(html).DistinctBy(f => f.Key + f.Value)));

        var invoices = await InBilling(db => db.Invoices.Where(i => i.CustomerId == customer.UserId).ToDictionaryAsync(i => i.Id));
        Assert.Equal(InvoiceStatus.Paid, invoices[reviewed.InvoiceId].Status);
        Assert.Equal(InvoiceStatus.Open, invoices[issuedSince.InvoiceId].Status);
    }

    [Fact]
    public async Task Posting_the_same_review_twice_charges_once()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("EUR", 75m);
        var form = await customer.ReviewPaymentAsync(invoice.InvoiceId);

        var first = await customer.ConfirmPaymentAsync(invoice.InvoiceId, form);
        var second = await customer.ConfirmPaymentAsync(invoice.InvoiceId, form);

        Assert.Contains("Payment received", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Payment received", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await InBilling(db => db.Payments.CountAsync(p => p.CustomerId == customer.UserId)));
    }

    [Fact]
    public async Task Credits_are_applied_before_the_card_is_charged()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            db.Credits.Add(Credit.Grant(customer.UserId, "EUR", 30m, "Refund", DateTime.UtcNow));
            await db.SaveChangesAsync();
        }
        var invoice = await customer.InvoiceAsync("EUR", 100m);

        var review = await Page(customer.Client, $"/billing/pay?ids={invoice.InvoiceId}");
        Assert.Contains("data-testid=\"credit-applied\">− 30.00 EUR", review, StringComparison.Ordinal);
        Assert.Contains("Credits applied: 30.00 EUR", await customer.PayAsync(invoice.InvoiceId), StringComparison.Ordinal);

        var payment = await InBilling(db => db.Payments.SingleAsync(p => p.CustomerId == customer.UserId));
        Assert.Equal((70m, 30m), (payment.Amount, payment.CreditApplied));
        Assert.Equal(0m, (await InBilling(db => db.Credits.SingleAsync(c => c.CustomerId == customer.UserId))).Remaining);
    }

    [Fact]
    public async Task Another_customers_invoice_pdf_is_not_found_and_the_owner_gets_the_details()
    {
        var owner = await BillingCustomer.SignUpAsync(factory);
        var invoice = await owner.InvoiceAsync("EUR", 49.995m, 2, "Corona Premium annual");
        var stranger = await BillingCustomer.SignUpAsync(factory, card: null);

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/billing/invoices/{invoice.InvoiceId}/pdf")).StatusCode);
        var response = await owner.Client.GetAsync($"/billing/invoices/{invoice.InvoiceId}/pdf");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);

        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var text = string.Join(" ", pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
        foreach (var expected in new[] { invoice.Number, "Chaos", "BG175255722", "Payer", "Studio", "Ltd", "DE123456789", "Corona", "Premium", "99.99", "Status:", "Open", "EUR", "2026-01-01", "reverse" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Billing_information_checks_the_vat_id_and_reaches_only_later_invoices()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var before = await customer.InvoiceAsync("EUR", 10m);

        var bad = await customer.SaveBillingInformationAsync("New Name GmbH", "DE", "FR12345678901");
        Assert.Contains("A VAT ID for this country starts with DE", PortalClient.Decode(await bad.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await customer.SaveBillingInformationAsync("New Name GmbH", "DE", "DE999999999")).StatusCode);
        var after = await customer.InvoiceAsync("EUR", 10m);

        var invoices = await InBilling(db => db.Invoices.Where(i => i.CustomerId == customer.UserId).ToListAsync());
        Assert.Equal("Payer Studio Ltd", invoices.Single(i => i.Id == before.InvoiceId).BillTo.Name);
        Assert.Equal(("New Name GmbH", "DE999999999"), (invoices.Single(i => i.Id == after.InvoiceId).BillTo.Name, invoices.Single(i => i.Id == after.InvoiceId).BillTo.VatId));
    }

    [Fact]
    public async Task Paying_without_an_antiforgery_token_is_rejected()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("EUR", 10m);

        var response = await customer.Client.Http.PostAsync(new Uri($"/billing/pay?ids={invoice.InvoiceId}", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["IdempotencyKey"] = Guid.NewGuid().ToString("N") }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await InBilling(db => db.Payments.CountAsync(p => p.CustomerId == customer.UserId)));
    }

    [Fact]
    public async Task Another_customers_invoices_cannot_be_paid()
    {
        var owner = await BillingCustomer.SignUpAsync(factory);
        var invoice = await owner.InvoiceAsync("EUR", 10m);
        var stranger = await BillingCustomer.SignUpAsync(factory);

        var review = await stranger.Client.GetPageAsync($"/billing/pay?ids={invoice.InvoiceId}");
        Assert.Contains("There is nothing to pay", review, StringComparison.Ordinal);
        var forged = PortalClient.HiddenFields(review).DistinctBy(f => f.Key)
            .Append(new("IdempotencyKey", Guid.NewGuid().ToString("N"))).Append(new("Ids", invoice.InvoiceId.ToString()));
        var response = await stranger.Client.Http.PostAsync(new Uri("/billing/pay", UriKind.Relative), new FormUrlEncodedContent(forged));

        Assert.Contains("There is nothing to pay", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(InvoiceStatus.Open, (await InBilling(db => db.Invoices.SingleAsync(i => i.Id == invoice.InvoiceId))).Status);
    }

    [Fact]
    public async Task Cards_are_saved_with_brand_last_four_and_expiry_and_bad_ones_are_explained()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);

        var bad = await customer.AddCardAsync("4242424242424241");
        Assert.Contains("Your card number is incorrect.", PortalClient.Decode(await bad.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await customer.AddCardAsync("5555555555554444");
        await customer.AddCardAsync("4242424242424242");

        var page = await Page(customer.Client, "/billing/payment-methods");
        Assert.Contains("<strong>Mastercard</strong> ending in 4444", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Visa</strong> ending in 4242", page, StringComparison.Ordinal);
        Assert.Contains("used for any unpaid invoices and future renewals", page.Replace("pays your unpaid invoices and all future renewals", "used for any unpaid invoices and future renewals", StringComparison.Ordinal), StringComparison.Ordinal);
        var methods = await InBilling(db => db.PaymentMethods.Where(m => m.CustomerId == customer.UserId).ToListAsync());
        Assert.Equal("4242", Assert.Single(methods, m => m.IsDefault).Last4);
    }

    [Fact]
    public async Task Billing_information_opened_from_the_cart_returns_there_after_saving()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);
        const string cart = "/products/cart?plan=vray-solo-annual";
        var path = "/billing/information?returnUrl=" + Uri.EscapeDataString(cart);

        var page = await Page(customer.Client, path);
        var fromQuery = await customer.Client.SubmitAsync(path, BillingInformation(customer));
        // The form carries the address itself, whatever URL it is posted to.
        var fields = BillingInformation(customer);
        var form = PortalClient.HiddenFields(page).DistinctBy(f => f.Key).Where(f => !fields.ContainsKey(f.Key)).Concat(fields);
        var fromForm = await customer.Client.Http.PostAsync(new Uri("/billing/information", UriKind.Relative), new FormUrlEncodedContent(form));

        Assert.Contains($"href=\"{cart}\"", page, StringComparison.Ordinal);
        Assert.Contains("Back to your order", page, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Redirect, cart), (fromQuery.StatusCode, fromQuery.Headers.Location?.OriginalString));
        Assert.Equal((HttpStatusCode.Redirect, cart), (fromForm.StatusCode, fromForm.Headers.Location?.OriginalString));
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example/phish")]
    public async Task A_return_address_off_the_portal_is_ignored(string returnUrl)
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);
        var path = "/billing/information?returnUrl=" + Uri.EscapeDataString(returnUrl);

        var page = await Page(customer.Client, path);
        var saved = await customer.Client.SubmitAsync(path, BillingInformation(customer));
        var card = await customer.Client.SubmitAsync("/billing/payment-methods?handler=Add&returnUrl=" + Uri.EscapeDataString(returnUrl), Card());

        Assert.DoesNotContain("Back to your order", page, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", page, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Redirect, "/billing/information"), (saved.StatusCode, saved.Headers.Location?.OriginalString));
        Assert.Equal((HttpStatusCode.Redirect, "/billing/payment-methods"), (card.StatusCode, card.Headers.Location?.OriginalString));
    }

    [Fact]
    public async Task Payment_methods_opened_from_the_cart_return_there_after_adding_a_card_or_choosing_the_default()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        const string cart = "/products/cart";
        var page = await Page(customer.Client, "/billing/payment-methods?returnUrl=%2Fproducts%2Fcart");
        var hidden = PortalClient.HiddenFields(page).DistinctBy(f => f.Key).ToList();

        var card = Card("5555555555554444");
        var added = await customer.Client.Http.PostAsync(new Uri("/billing/payment-methods?handler=Add", UriKind.Relative),
            new FormUrlEncodedContent(hidden.Where(f => !card.ContainsKey(f.Key)).Concat(card)));
        var mastercard = await InBilling(db => db.PaymentMethods.SingleAsync(m => m.CustomerId == customer.UserId && m.Last4 == "4444"));
        var visa = await InBilling(db => db.PaymentMethods.SingleAsync(m => m.CustomerId == customer.UserId && m.Last4 == "4242"));
        var madeDefault = await customer.Client.Http.PostAsync(new Uri($"/billing/payment-methods?handler=Default&id={visa.Id}", UriKind.Relative),
            new FormUrlEncodedContent(hidden));

        Assert.Contains("Back to your order", page, StringComparison.Ordinal);
        Assert.True(mastercard.IsDefault);
        Assert.Equal((HttpStatusCode.Redirect, cart), (added.StatusCode, added.Headers.Location?.OriginalString));
        Assert.Equal((HttpStatusCode.Redirect, cart), (madeDefault.StatusCode, madeDefault.Headers.Location?.OriginalString));
        Assert.True((await InBilling(db => db.PaymentMethods.SingleAsync(m => m.Id == visa.Id))).IsDefault);
    }

    [Fact]
    public async Task A_card_form_shown_again_never_carries_the_card_number_or_security_code_back()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);
        var expired = Card("4000000000000069");
        expired["Card.Cvc"] = "987";
        var missingMonth = Card("4242424242424242");
        missingMonth["Card.ExpiryMonth"] = "";
        missingMonth["Card.Cvc"] = "654";

        foreach (var (form, message) in new[] { (expired, "Your card has expired."), (missingMonth, "Choose the expiry month.") })
        {
            var response = await customer.Client.SubmitAsync("/billing/payment-methods?handler=Add", form);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains(message, PortalClient.Decode(html), StringComparison.Ordinal);
            Assert.DoesNotContain(form["Card.Number"], html, StringComparison.Ordinal);
            Assert.DoesNotContain($"value=\"{form["Card.Cvc"]}\"", html, StringComparison.Ordinal);
            Assert.Contains($"value=\"{form["Card.ExpiryYear"]}\"", html, StringComparison.Ordinal);
        }
    }

    private static Dictionary<string, string> BillingInformation(BillingCustomer customer) => new()
    {
        ["Form.Name"] = "Payer Studio Ltd",
        ["Form.AddressLine1"] = "1 Render Road",
        ["Form.City"] = "Sofia",
        ["Form.PostalCode"] = "1000",
        ["Form.Country"] = "DE",
        ["Form.BillingEmail"] = customer.Email,
        ["Form.VatId"] = "DE123456789",
    };

    private static Dictionary<string, string> Card(string number = "4242424242424242") => new()
    {
        ["Card.Number"] = number,
        ["Card.ExpiryMonth"] = "12",
        ["Card.ExpiryYear"] = (DateTime.UtcNow.Year + 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Card.Cvc"] = "123",
        ["Card.MakeDefault"] = "true",
    };

    private static int CountRows(string html) => html.Split("<tr data-invoice=").Length - 1;
}
