using System.Net;
using System.Text.Json.Nodes;
using ChaosModular.Billing.Data;

namespace ChaosModular.UnitTests.Billing;

/// <summary>
/// Billing › Payment methods with Stripe configured: the card is typed into Stripe.js's fields and confirmed with
/// Stripe in the browser; the portal's server starts the SetupIntent and receives only its id, never a card number.
/// </summary>
public sealed class StripeCardEntryTests(StripePortal portal) : IClassFixture<StripePortal>
{
    private const string Page = "/billing/payment-methods";

    [Fact]
    public async Task The_page_loads_Stripe_js_from_its_configured_address_and_has_no_card_inputs_of_its_own()
    {
        var customer = await BillingCustomer.SignUpAsync(portal.Factory, card: null);

        var response = await customer.Client.GetAsync(Page);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains($"<script src=\"{portal.Stripe.JsUrl}\"></script>", html, StringComparison.Ordinal);
        Assert.Contains($"data-publishable-key=\"{FakeStripe.PublishableKey}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Card.Number\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Card.Cvc\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"Setup.SetupId\"", html, StringComparison.Ordinal);
        // The policy lets Stripe.js (here the stand-in's origin) load, frame and call its API, and nothing else from outside.
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        var origin = portal.Stripe.Url;
        Assert.Contains($"script-src 'self' {origin};", policy, StringComparison.Ordinal);
        Assert.Contains($"frame-src 'self' {origin} https://hooks.stripe.com;", policy, StringComparison.Ordinal);
        Assert.Contains($"connect-src 'self' {origin};", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_confirmed_with_Stripe_in_the_browser_is_saved_from_its_setup_id_alone()
    {
        var customer = await BillingCustomer.SignUpAsync(portal.Factory, card: null);

        var response = await customer.AddCardAsync("5555555555554444");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = PortalClient.Decode(await customer.Client.GetPageAsync(Page));
        Assert.Contains("Mastercard ending in 4444 was saved and is now your default payment method.", page, StringComparison.Ordinal);
        var method = await SingleCardAsync(customer);
        Assert.Equal(("Mastercard", "4444", true), (method.Brand, method.Last4, method.IsDefault));
        Assert.Matches("^cus_[^|]+\\|pm_[^|]+$", method.GatewayToken);
        // The number went from the "browser" to Stripe only: every request the server made to Stripe is free of it.
        Assert.DoesNotContain(portal.Stripe.Requests, r => r.Authorization is { Length: > 0 } && r.Form.Values.Any(v => v.Contains("5555555555554444", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Card_details_posted_to_the_portal_are_ignored_and_never_sent_on()
    {
        var customer = await BillingCustomer.SignUpAsync(portal.Factory, card: null);
        var before = portal.Stripe.Requests.Count;

        var response = await customer.TypeCardAsync("4000056655665556");

        var html = PortalClient.Decode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Enter your card details in the card field, then save.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("4000056655665556", html, StringComparison.Ordinal);
        Assert.DoesNotContain(portal.Stripe.Requests.Skip(before), r => r.Form.Values.Any(v => v.Contains("4000056655665556", StringComparison.Ordinal)));
        Assert.Null(await CardOrNullAsync(customer));
    }

    [Fact]
    public async Task A_card_Stripe_refuses_shows_Stripes_message_and_saves_nothing()
    {
        var customer = await BillingCustomer.SignUpAsync(portal.Factory, card: null);

        var response = await customer.AddCardAsync("4000000000000069");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Your card has expired.", PortalClient.Decode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Null(await CardOrNullAsync(customer));
    }

    [Fact]
    public async Task Another_customers_setup_cannot_be_saved_to_my_account_and_the_same_setup_twice_is_one_card()
    {
        var owner = await BillingCustomer.SignUpAsync(portal.Factory, card: null);
        var thief = await BillingCustomer.SignUpAsync(portal.Factory, card: null);
        var setup = await owner.StartCardSetupAsync();
        await FakeStripe.ConfirmSetupAsBrowserAsync(setup.StripeUrl, setup.ClientSecret, "4242424242424242");
        var setupId = FakeStripe.SetupIdOf(setup.ClientSecret);

        var stolen = await PostSetupIdAsync(thief, setupId);
        var first = await PostSetupIdAsync(owner, setupId);
        var again = await PostSetupIdAsync(owner, setupId);

        Assert.Contains("This card setup was not found for your account.", PortalClient.Decode(await stolen.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Null(await CardOrNullAsync(thief));
        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (first.StatusCode, again.StatusCode));
        Assert.Equal("4242", (await SingleCardAsync(owner)).Last4);
    }

    [Fact]
    public async Task Starting_a_setup_needs_the_antiforgery_token_and_a_Stripe_outage_answers_problem_json()
    {
        var customer = await BillingCustomer.SignUpAsync(portal.Factory, card: null);

        using var forged = await customer.Client.Http.PostAsync(new Uri(Page + "?handler=Setup", UriKind.Relative), null);
        portal.Stripe.Intercept = r => r.Path == "/v1/setup_intents" ? (500, """{"error":{"type":"api_error","message":"Stripe is down."}}""") : null;
        HttpResponseMessage down;
        try
        {
            var page = await customer.Client.GetPageAsync(Page);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Page + "?handler=Setup", UriKind.Relative));
            request.Headers.Add("RequestVerificationToken", PortalClient.HiddenFields(page).First(f => f.Key == "__RequestVerificationToken").Value);
            down = await customer.Client.Http.SendAsync(request);
        }
        finally
        {
            portal.Stripe.Intercept = null;
        }

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await down.Content.ReadAsStringAsync())!;
        Assert.StartsWith("The payment service could not be reached", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Null(await CardOrNullAsync(customer));
    }

    [Fact]
    public async Task Signed_out_no_setup_is_started()
    {
        using var anonymous = portal.Factory.CreatePortalClient();
        var before = portal.Stripe.RequestsTo("POST", "/v1/setup_intents").Count;

        using var response = await anonymous.PostAsync(new Uri(Page + "?handler=Setup", UriKind.Relative), null);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, portal.Stripe.RequestsTo("POST", "/v1/setup_intents").Count);
    }

    [Fact]
    public async Task Change_saves_the_new_card_through_Stripe_js_and_detaches_the_old_one_as_Remove_does()
    {
        var customer = await BillingCustomer.SignUpAsync(portal.Factory, card: null);
        await customer.AddCardAsync("4242424242424242");
        var visa = await SingleCardAsync(customer);

        Assert.Equal(HttpStatusCode.Redirect, (await customer.ChangeCardAsync(visa.Id, "5555555555554444")).StatusCode);

        var mastercard = await SingleCardAsync(customer);
        Assert.Equal(("4444", true), (mastercard.Last4, mastercard.IsDefault));
        var visaMethod = visa.GatewayToken.Split('|')[1];
        Assert.False(portal.Stripe.IsAttached(visaMethod));
        Assert.Single(portal.Stripe.RequestsTo("POST", $"/v1/payment_methods/{visaMethod}/detach"));

        await customer.AddCardAsync("4000056655665556");
        Assert.Equal(HttpStatusCode.Redirect, (await customer.RemoveCardAsync(mastercard.Id)).StatusCode);

        var mastercardMethod = mastercard.GatewayToken.Split('|')[1];
        Assert.False(portal.Stripe.IsAttached(mastercardMethod));
        Assert.Equal("5556", (await SingleCardAsync(customer)).Last4);
        Assert.True(portal.Stripe.IsAttached((await SingleCardAsync(customer)).GatewayToken.Split('|')[1]));
    }

    private static Task<HttpResponseMessage> PostSetupIdAsync(BillingCustomer customer, string setupId) =>
        customer.Client.SubmitAsync(Page + "?handler=Add", new Dictionary<string, string> { ["Setup.SetupId"] = setupId, ["Setup.MakeDefault"] = "true" });

    private async Task<ChaosModular.Billing.Domain.PaymentMethod> SingleCardAsync(BillingCustomer customer) =>
        await CardOrNullAsync(customer) ?? throw new Xunit.Sdk.XunitException("No card was saved.");

    private async Task<ChaosModular.Billing.Domain.PaymentMethod?> CardOrNullAsync(BillingCustomer customer)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BillingDbContext>().PaymentMethods.AsNoTracking().SingleOrDefaultAsync(m => m.CustomerId == customer.UserId);
    }
}

/// <summary>Without Stripe the portal's own form takes the card, and there is no setup to start.</summary>
public sealed class SimulatedCardEntryTests
{
    [Fact]
    public async Task The_portals_own_form_is_shown_no_Stripe_js_is_loaded_and_Setup_answers_not_found()
    {
        await using var factory = new SqlitePortalFactory();
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);

        var response = await customer.Client.GetAsync("/billing/payment-methods");
        var html = await response.Content.ReadAsStringAsync();
        var page = await customer.Client.GetPageAsync("/billing/payment-methods");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/billing/payment-methods?handler=Setup", UriKind.Relative));
        request.Headers.Add("RequestVerificationToken", PortalClient.HiddenFields(page).First(f => f.Key == "__RequestVerificationToken").Value);
        using var setup = await customer.Client.Http.SendAsync(request);

        Assert.Contains("name=\"Card.Number\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-provider-card-form", html, StringComparison.Ordinal);
        Assert.DoesNotContain("frame-src", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, setup.StatusCode);
        Assert.Equal("application/problem+json", setup.Content.Headers.ContentType?.MediaType);
    }
}
