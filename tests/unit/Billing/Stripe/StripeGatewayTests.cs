using ChaosModular.Billing.Gateways;
using ChaosModular.Modules.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChaosModular.UnitTests.Billing;

/// <summary>The Stripe gateway on its own, against the fake Stripe API: what it sends and how it reads the answers.</summary>
public sealed class StripeGatewayTests : IAsyncLifetime
{
    private const string SecretKey = "sk_test_gateway";
    private FakeStripe _stripe = null!;
    private StripeGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripe.StartAsync();
        _gateway = new StripeGateway(Options.Create(new StripeOptions
            {
                SecretKey = SecretKey, WebhookSecret = "whsec_test", ApiBase = _stripe.Url, PublishableKey = FakeStripe.PublishableKey, JsUrl = _stripe.JsUrl,
            }),
            NullLogger<StripeGateway>.Instance);
    }

    public async Task DisposeAsync()
    {
        _gateway.Dispose();
        await _stripe.DisposeAsync();
    }

    [Fact]
    public async Task Saving_a_card_sets_up_an_off_session_SetupIntent_and_the_server_never_sends_the_card()
    {
        var clientSecret = await _gateway.StartCardSetupAsync("cust-1", "payer@example.test", CancellationToken.None);
        var browser = await _stripe.ConfirmSetupAsBrowserAsync(clientSecret, "4242 4242 4242 4242", 12, 2031, "123");
        var card = await _gateway.CompleteCardSetupAsync("cust-1", (string)browser["id"]!, CancellationToken.None);

        var customer = Assert.Single(_stripe.RequestsTo("POST", "/v1/customers"));
        Assert.Equal("payer@example.test", customer["email"]);
        Assert.Equal("cust-1", customer["metadata[customer_id]"]);
        var setup = Assert.Single(_stripe.RequestsTo("POST", "/v1/setup_intents"));
        Assert.Equal("off_session", setup["usage"]);
        Assert.Equal("cust-1", setup["metadata[customer_id]"]);
        var customerId = setup["customer"]!;
        Assert.StartsWith("cus_", customerId, StringComparison.Ordinal);
        var read = Assert.Single(_stripe.Requests, r => r.Method == "GET" && r.Path.StartsWith("/v1/setup_intents/", StringComparison.Ordinal));
        Assert.Contains("payment_method", read.Query.Values);
        // Everything the server sent carries its secret key and no card detail; only the browser's confirmation has the card.
        var fromServer = _stripe.Requests.Where(r => r.Authorization is { Length: > 0 }).ToList();
        Assert.All(fromServer, r => Assert.Equal($"Bearer {SecretKey}", r.Authorization));
        Assert.All(fromServer, r => Assert.DoesNotContain(r.Form, f => f.Key.Contains("number", StringComparison.Ordinal) || f.Key.Contains("cvc", StringComparison.Ordinal)));
        var confirmation = Assert.Single(_stripe.Requests, r => r.Path.EndsWith("/confirm", StringComparison.Ordinal));
        Assert.Equal(FakeStripe.PublishableKey, confirmation["key"]);
        Assert.Equal(new GatewayCard("Visa", "4242", 12, 2031, $"{customerId}|{(string)browser["payment_method"]!}"), card);
    }

    [Fact]
    public async Task A_second_card_goes_to_the_same_Stripe_customer_and_brands_read_as_people_write_them()
    {
        var first = await SetUpAsync("cust-2", "two@example.test", "5555555555554444", 1, 2030);
        var second = await SetUpAsync("cust-2", "two@example.test", "378282246310005", 2, 2032);
        var someoneElse = await SetUpAsync("cust-3", "two@example.test", "4242424242424242", 3, 2033);

        Assert.Equal(("Mastercard", "4444", 1, 2030), (first.Brand, first.Last4, first.ExpiryMonth, first.ExpiryYear));
        Assert.Equal(("American Express", "0005", 2, 2032), (second.Brand, second.Last4, second.ExpiryMonth, second.ExpiryYear));
        Assert.Equal(first.Token.Split('|')[0], second.Token.Split('|')[0]);
        Assert.NotEqual(first.Token.Split('|')[1], second.Token.Split('|')[1]);
        // Same email, different portal customer: a Stripe customer of its own.
        Assert.NotEqual(first.Token.Split('|')[0], someoneElse.Token.Split('|')[0]);
        Assert.Equal(2, _stripe.RequestsTo("POST", "/v1/customers").Count);
        Assert.All(_stripe.RequestsTo("GET", "/v1/customers"), r => Assert.Equal("two@example.test", r.Query["email"]));
    }

    [Theory]
    [InlineData("4242424242424241", "Your card number is incorrect.")]
    [InlineData("4000000000000069", "Your card has expired.")]
    public async Task A_card_Stripe_refuses_is_rejected_with_Stripes_message(string number, string message)
    {
        var clientSecret = await _gateway.StartCardSetupAsync("cust-4", "four@example.test", CancellationToken.None);
        var browser = await _stripe.ConfirmSetupAsBrowserAsync(clientSecret, number);

        var error = await Assert.ThrowsAsync<CardRejectedException>(() =>
            _gateway.CompleteCardSetupAsync("cust-4", FakeStripe.SetupIdOf(clientSecret), CancellationToken.None));

        Assert.Equal(message, (string?)browser["error"]?["message"]);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task A_setup_made_for_another_customer_or_unknown_or_unconfirmed_gives_no_card()
    {
        var theirs = await _gateway.StartCardSetupAsync("cust-owner", "owner@example.test", CancellationToken.None);
        await _stripe.ConfirmSetupAsBrowserAsync(theirs, "4242424242424242");
        var unconfirmed = await _gateway.StartCardSetupAsync("cust-thief", "thief@example.test", CancellationToken.None);

        var stolen = await Assert.ThrowsAsync<CardRejectedException>(() =>
            _gateway.CompleteCardSetupAsync("cust-thief", FakeStripe.SetupIdOf(theirs), CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<CardRejectedException>(() =>
            _gateway.CompleteCardSetupAsync("cust-thief", "seti_doesnotexist", CancellationToken.None));
        var notAnId = await Assert.ThrowsAsync<CardRejectedException>(() =>
            _gateway.CompleteCardSetupAsync("cust-thief", "../v1/customers", CancellationToken.None));
        var notConfirmed = await Assert.ThrowsAsync<CardRejectedException>(() =>
            _gateway.CompleteCardSetupAsync("cust-thief", FakeStripe.SetupIdOf(unconfirmed), CancellationToken.None));

        Assert.All([stolen, unknown, notAnId], e => Assert.StartsWith("This card setup was not found for your account", e.Message, StringComparison.Ordinal));
        Assert.Equal("Your card was not saved. Please enter it again.", notConfirmed.Message);
        Assert.DoesNotContain(_stripe.Requests, r => r.Path.Contains("customers/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_charge_sends_the_amount_in_minor_units_off_session_with_the_payments_idempotency_key()
    {
        var card = await SaveAsync("4242424242424242");
        var key = $"pay-{Guid.NewGuid():N}:EUR";

        var result = await _gateway.ChargeAsync(new GatewayCharge("cust-5", card.Token, card.Last4, new Money(12.34m, "EUR"), key, "Invoices INV-2026-000001"), CancellationToken.None);

        var request = Assert.Single(_stripe.RequestsTo("POST", "/v1/payment_intents"));
        Assert.Equal("1234", request["amount"]);
        Assert.Equal("eur", request["currency"]);
        Assert.Equal(card.Token.Split('|')[0], request["customer"]);
        Assert.Equal(card.Token.Split('|')[1], request["payment_method"]);
        Assert.Equal("true", request["off_session"]);
        Assert.Equal("true", request["confirm"]);
        Assert.Equal("never", request["automatic_payment_methods[allow_redirects]"]);
        Assert.Equal("Invoices INV-2026-000001", request["description"]);
        Assert.Equal(key, request["metadata[idempotency_key]"]);
        Assert.Equal("cust-5", request["metadata[customer_id]"]);
        Assert.Equal(key, request.IdempotencyKey);
        Assert.True(result.Succeeded);
        var intent = Assert.Single(_stripe.PaymentIntents);
        Assert.Equal((result.Reference, 1234L, "eur", "succeeded"), (intent.Id, intent.Amount, intent.Currency, intent.Status));
        Assert.Null(result.DeclineReason);
    }

    [Theory]
    [InlineData("JPY", "1235", "1235")]
    [InlineData("USD", "0.5", "50")]
    [InlineData("KWD", "12.345", "12345")]
    [InlineData("EUR", "1000.0000", "100000")]
    public async Task Amounts_are_sent_in_the_currencys_smallest_unit(string currency, string amount, string expected)
    {
        var card = await SaveAsync("4242424242424242");

        var result = await _gateway.ChargeAsync(new GatewayCharge("cust-5", card.Token, card.Last4,
            new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency), $"pay-{Guid.NewGuid():N}", "Invoice"), CancellationToken.None);

        var request = Assert.Single(_stripe.RequestsTo("POST", "/v1/payment_intents"));
        Assert.Equal((expected, currency.ToLowerInvariant()), (request["amount"], request["currency"]));
        Assert.Equal(long.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Assert.Single(_stripe.PaymentIntents).Amount);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void An_amount_finer_than_the_currencys_minor_unit_is_not_rounded_silently()
    {
        Assert.Throws<ArgumentException>(() => StripeGateway.ToMinorUnits(new Money(10.5m, "JPY")));
        Assert.Throws<ArgumentException>(() => StripeGateway.ToMinorUnits(new Money(0m, "EUR")));
    }

    [Theory]
    [InlineData("4000000000000002", "Your card was declined.")]
    [InlineData("4000000000009995", "Your card has insufficient funds.")]
    public async Task A_declined_card_is_a_decline_with_Stripes_message(string number, string message)
    {
        var card = await SaveAsync(number);

        var result = await _gateway.ChargeAsync(new GatewayCharge("cust-6", card.Token, card.Last4, new Money(50m, "EUR"), $"pay-{Guid.NewGuid():N}", "Invoice"), CancellationToken.None);

        Assert.Equal(GatewayResult.Declined(message), result);
        Assert.Equal((5000L, "requires_payment_method"), (Assert.Single(_stripe.PaymentIntents).Amount, Assert.Single(_stripe.PaymentIntents).Status));
    }

    [Fact]
    public async Task The_same_idempotency_key_gives_the_first_answer_and_one_PaymentIntent()
    {
        var card = await SaveAsync("4242424242424242");
        var charge = new GatewayCharge("cust-7", card.Token, card.Last4, new Money(20m, "EUR"), $"pay-{Guid.NewGuid():N}", "Invoice");

        var first = await _gateway.ChargeAsync(charge, CancellationToken.None);
        var second = await _gateway.ChargeAsync(charge, CancellationToken.None);

        Assert.Equal(first, second);
        var requests = _stripe.RequestsTo("POST", "/v1/payment_intents");
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(charge.IdempotencyKey, r.IdempotencyKey));
        var intent = Assert.Single(_stripe.PaymentIntents);
        Assert.Equal((first.Reference, 2000L, charge.IdempotencyKey), (intent.Id, intent.Amount, intent.IdempotencyKey));
    }

    [Fact]
    public async Task A_Stripe_outage_throws_and_every_retry_carries_the_same_idempotency_key()
    {
        var card = await SaveAsync("4242424242424242");
        _stripe.Intercept = r => r.Path == "/v1/payment_intents"
            ? (500, """{"error":{"type":"api_error","message":"Something went wrong on Stripe's end."}}""")
            : null;
        var key = $"pay-{Guid.NewGuid():N}";

        await Assert.ThrowsAnyAsync<Exception>(() =>
            _gateway.ChargeAsync(new GatewayCharge("cust-8", card.Token, card.Last4, new Money(20m, "EUR"), key, "Invoice"), CancellationToken.None));

        var attempts = _stripe.RequestsTo("POST", "/v1/payment_intents");
        Assert.Equal(3, attempts.Count); // the first try and Stripe.net's two retries
        Assert.All(attempts, r => Assert.Equal(key, r.IdempotencyKey));
        Assert.Empty(_stripe.PaymentIntents);
    }

    [Fact]
    public async Task A_card_saved_before_Stripe_was_configured_is_declined_without_calling_Stripe()
    {
        var result = await _gateway.ChargeAsync(new GatewayCharge("cust-9", "sim_0123456789abcdef", "4242", new Money(20m, "EUR"), "pay-sim", "Invoice"), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("ending in 4242 has to be added again", result.DeclineReason, StringComparison.Ordinal);
        Assert.Empty(_stripe.Requests);
        Assert.Empty(_stripe.PaymentIntents);
    }

    [Theory]
    [InlineData("visa", "Visa")]
    [InlineData("mastercard", "Mastercard")]
    [InlineData("amex", "American Express")]
    [InlineData("discover", "Discover")]
    [InlineData("diners", "Diners Club")]
    [InlineData("jcb", "JCB")]
    [InlineData("unionpay", "UnionPay")]
    [InlineData("unknown", "Card")]
    [InlineData(null, "Card")]
    public void Brands_are_named_as_people_write_them(string? brand, string name) =>
        Assert.Equal(name, StripeGateway.BrandName(brand));

    [Theory]
    [InlineData(null, null, null, null)]
    [InlineData("sk_test_x", "whsec_x", null, null)]
    [InlineData("rk_live_x", "whsec_x", "http://127.0.0.1:12111", null)]
    [InlineData("pk_test_x", "whsec_x", null, "Stripe:SecretKey must be a secret (sk_...) or restricted (rk_...) API key.")]
    [InlineData("sk_test_x", null, null, "Stripe:WebhookSecret is required when Stripe:SecretKey is set")]
    [InlineData("sk_test_x", "secret", null, "Stripe:WebhookSecret must be a webhook signing secret (whsec_...).")]
    [InlineData("sk_test_x", "whsec_x", "127.0.0.1:12111", "Stripe:ApiBase '127.0.0.1:12111' must be an absolute http(s) URL")]
    [InlineData("sk_test_x", "whsec_x", null, "Stripe:PublishableKey is required when Stripe:SecretKey is set", "")]
    [InlineData("sk_test_x", "whsec_x", null, "Stripe:PublishableKey must be a publishable key (pk_...).", "sk_test_y")]
    [InlineData("sk_test_x", "whsec_x", null, "Stripe:JsUrl 'js.stripe.com/v3' must be an absolute http(s) URL", "pk_test_x", "js.stripe.com/v3")]
    public void Options_are_checked_only_when_a_key_is_set(string? secretKey, string? webhookSecret, string? apiBase, string? failure,
        string? publishableKey = "pk_test_x", string jsUrl = StripeOptions.DefaultJsUrl)
    {
        var result = new StripeOptionsValidator().Validate(null, new StripeOptions
        {
            SecretKey = secretKey, WebhookSecret = webhookSecret, ApiBase = apiBase, PublishableKey = publishableKey, JsUrl = jsUrl,
        });

        if (failure is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.Contains(failure, result.FailureMessage, StringComparison.Ordinal);
            Assert.DoesNotContain(secretKey!, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_Stripe_key_without_a_webhook_secret_stops_start_up()
    {
        using var factory = new SqlitePortalFactory();
        factory.With("Billing:Gateway", "Stripe").With("Stripe:SecretKey", "sk_test_x");

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is OptionsValidationException validation)
            {
                Assert.Contains("Stripe:WebhookSecret is required when Stripe:SecretKey is set", validation.Message, StringComparison.Ordinal);
                return;
            }
        }
        Assert.Fail($"Start-up failed without naming the setting: {error}");
    }

    private async Task<GatewayCard> SaveAsync(string number)
    {
        var card = await SetUpAsync($"cust-{Guid.NewGuid():N}", "saver@example.test", number, 12, 2031);
        _stripe.Clear();
        return card;
    }

    /// <summary>A card saved as the payment methods page does it: setup started, confirmed by the browser, read back.</summary>
    private async Task<GatewayCard> SetUpAsync(string customerId, string email, string number, int month, int year)
    {
        var clientSecret = await _gateway.StartCardSetupAsync(customerId, email, CancellationToken.None);
        var browser = await _stripe.ConfirmSetupAsBrowserAsync(clientSecret, number, month, year);
        Assert.Equal("succeeded", (string?)browser["status"]);
        return await _gateway.CompleteCardSetupAsync(customerId, FakeStripe.SetupIdOf(clientSecret), CancellationToken.None);
    }
}
