using System.Net;
using ChaosModular.Accounts.Data;
using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Features;

namespace ChaosModular.UnitTests.Billing;

/// <summary>Builds a signed-in customer with billing information, a card and invoices, the way they would have them.</summary>
public sealed class BillingCustomer
{
    private BillingCustomer(PortalFactory factory, PortalClient client, string email, string password, string userId)
    {
        Factory = factory;
        Client = client;
        Email = email;
        Password = password;
        UserId = userId;
    }

    public PortalFactory Factory { get; }
    public PortalClient Client { get; }
    public string Email { get; }
    public string Password { get; }
    public string UserId { get; }

    public static async Task<BillingCustomer> SignUpAsync(PortalFactory factory, string country = "DE", string? vatId = "DE123456789", string? card = "4242424242424242")
    {
        var email = $"bill-{Guid.NewGuid():N}@example.test";
        const string password = "Billing2026xx";
        var client = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync("Bill Payer", email, password, country)).StatusCode);
        await using var scope = factory.Services.CreateAsyncScope();
        var userId = await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        var customer = new BillingCustomer(factory, client, email, password, userId);
        Assert.Equal(HttpStatusCode.Redirect, (await customer.SaveBillingInformationAsync("Payer Studio Ltd", country, vatId)).StatusCode);
        if (card is not null)
        {
            await customer.AddCardAsync(card);
        }
        return customer;
    }

    /// <summary>Opens the payment review of one invoice, as a tab would: the form its Confirm posts, idempotency key included.</summary>
    public async Task<List<KeyValuePair<string, string>>> ReviewPaymentAsync(Guid invoiceId, PortalClient? tab = null) =>
        PortalClient.HiddenFields(await (tab ?? Client).GetPageAsync(BillingRoutes.PayInvoice(invoiceId))).DistinctBy(f => f.Key + f.Value).ToList();

    /// <summary>Posts a reviewed payment's Confirm.</summary>
    public Task<HttpResponseMessage> ConfirmPaymentAsync(Guid invoiceId, IEnumerable<KeyValuePair<string, string>> review, PortalClient? tab = null) =>
        (tab ?? Client).Http.PostAsync(new Uri(BillingRoutes.PayInvoice(invoiceId), UriKind.Relative), new FormUrlEncodedContent(review));

    public async Task<HttpResponseMessage> SaveBillingInformationAsync(string name, string country, string? vatId)
    {
        var response = await Client.SubmitAsync("/billing/information", new Dictionary<string, string>
        {
            ["Form.Name"] = name,
            ["Form.AddressLine1"] = "1 Render Road",
            ["Form.City"] = "Sofia",
            ["Form.PostalCode"] = "1000",
            ["Form.Country"] = country,
            ["Form.BillingEmail"] = Email,
            ["Form.VatId"] = vatId ?? "",
        });
        return response;
    }

    /// <summary>
    /// Adds a card as the customer would: typed into the portal's form with the Simulated gateway; with Stripe, as the
    /// page's script does: a SetupIntent from <c>?handler=Setup</c>, confirmed with the card at (fake) Stripe the way
    /// Stripe.js does, then only its id posted to <c>?handler=Add</c>.
    /// </summary>
    public async Task<HttpResponseMessage> AddCardAsync(string number)
    {
        if (Factory.Services.GetService<ChaosModular.Billing.Gateways.IBrowserCardEntry>() is null)
        {
            return await TypeCardAsync(number);
        }
        var setup = await StartCardSetupAsync();
        var confirmed = await FakeStripe.ConfirmSetupAsBrowserAsync(setup.StripeUrl, setup.ClientSecret, number, 12, DateTime.UtcNow.Year + 3);
        return await Client.SubmitAsync("/billing/payment-methods?handler=Add", new Dictionary<string, string>
        {
            ["Setup.SetupId"] = (string?)confirmed["id"] ?? FakeStripe.SetupIdOf(setup.ClientSecret),
            ["Setup.MakeDefault"] = "true",
        });
    }

    /// <summary>What the page's script does first with Stripe: asks for a SetupIntent; returns its client secret and where Stripe.js came from.</summary>
    public async Task<(string ClientSecret, string StripeUrl)> StartCardSetupAsync()
    {
        var page = await Client.GetPageAsync("/billing/payment-methods");
        var script = System.Text.RegularExpressions.Regex.Match(page, "<script src=\"(http[^\"]+)/v3/\"").Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/billing/payment-methods?handler=Setup", UriKind.Relative));
        request.Headers.Add("RequestVerificationToken", PortalClient.HiddenFields(page).First(f => f.Key == "__RequestVerificationToken").Value);
        using var answer = await Client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        return ((string)json["clientSecret"]!, script);
    }

    /// <summary>
    /// Payment methods › Change: the card form of <c>?change={id}</c>, filled in as <see cref="AddCardAsync"/> fills it
    /// (the portal's form with the Simulated gateway, a SetupIntent confirmed at fake Stripe with Stripe).
    /// </summary>
    public async Task<HttpResponseMessage> ChangeCardAsync(Guid paymentMethodId, string number)
    {
        var path = $"/billing/payment-methods?change={paymentMethodId}&handler=Add";
        if (Factory.Services.GetService<ChaosModular.Billing.Gateways.IBrowserCardEntry>() is null)
        {
            return await Client.SubmitAsync(path, new Dictionary<string, string>
            {
                ["Card.Number"] = number,
                ["Card.ExpiryMonth"] = "12",
                ["Card.ExpiryYear"] = (DateTime.UtcNow.Year + 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Card.Cvc"] = "123",
                ["Card.MakeDefault"] = "false",
            });
        }
        var setup = await StartCardSetupAsync();
        var confirmed = await FakeStripe.ConfirmSetupAsBrowserAsync(setup.StripeUrl, setup.ClientSecret, number, 12, DateTime.UtcNow.Year + 3);
        return await Client.SubmitAsync(path, new Dictionary<string, string>
        {
            ["Setup.SetupId"] = (string?)confirmed["id"] ?? FakeStripe.SetupIdOf(setup.ClientSecret),
            ["Setup.MakeDefault"] = "false",
        });
    }

    /// <summary>Payment methods › Remove: the confirm form's post (or the same post without the confirmation).</summary>
    public async Task<HttpResponseMessage> RemoveCardAsync(Guid paymentMethodId, bool confirmed = true)
    {
        var fields = new Dictionary<string, string>();
        if (confirmed)
        {
            fields["confirmed"] = "true";
        }
        return await Client.SubmitAsync($"/billing/payment-methods?handler=Remove&id={paymentMethodId}", fields);
    }

    /// <summary>The Simulated gateway's form: number, expiry and security code posted to the portal.</summary>
    public Task<HttpResponseMessage> TypeCardAsync(string number) =>
        Client.SubmitAsync("/billing/payment-methods?handler=Add", new Dictionary<string, string>
        {
            ["Card.Number"] = number,
            ["Card.ExpiryMonth"] = "12",
            ["Card.ExpiryYear"] = (DateTime.UtcNow.Year + 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Card.Cvc"] = "123",
            ["Card.MakeDefault"] = "true",
        });

    public async Task<InvoiceSummary> InvoiceAsync(string currency, decimal unitPrice, decimal quantity = 1, string description = "V-Ray Solo annual", DateTime? issuedUtc = null)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var issue = scope.ServiceProvider.GetRequiredService<IssueInvoice>();
        var invoice = await issue.HandleAsync(new CreateInvoice(UserId, currency,
            [new CreateInvoiceLine(description, quantity, unitPrice, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), "vray-solo")]), CancellationToken.None, issuedUtc);
        return new InvoiceSummary(invoice.Id, invoice.Number, invoice.BalanceDue, invoice.BalanceDue, invoice.Status.ToString(), invoice.DueUtc);
    }

    /// <summary>Opens the review for these invoices and confirms it, like clicking Pay then Pay now.</summary>
    public async Task<string> PayAsync(params Guid[] invoiceIds)
    {
        var path = "/billing/pay?" + string.Join("&", invoiceIds.Select(id => $"ids={id}"));
        var response = await Client.SubmitAsync(path, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PortalClient.Decode(await response.Content.ReadAsStringAsync());
    }
}
