using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;

namespace ChaosModular.Billing.Gateways;

/// <summary>
/// Cards and off-session payments through Stripe (Stripe.net, one <see cref="StripeClient"/> for
/// the process).
/// <para>
/// A saved card's token is <c>"{stripeCustomerId}|{paymentMethodId}"</c> (for example
/// <c>cus_Q1w2|pm_1Abc</c>): the Stripe customer the payment method is attached to and the payment
/// method itself, so a charge needs no lookup. The Stripe customer carries the portal customer's id
/// in its metadata (<c>customer_id</c>); it is found by email and that metadata, or created.
/// </para>
/// <para>
/// Cards never reach the portal's server: the browser types them into Stripe.js's fields and confirms a SetupIntent
/// the server started (<see cref="StartCardSetupAsync"/>); the server then reads the finished setup and keeps its
/// payment method (<see cref="CompleteCardSetupAsync"/>).
/// </para>
/// <para>
/// Every charge is a PaymentIntent created with <c>confirm=true</c>, <c>off_session=true</c> and the
/// payment's idempotency key as Stripe's <c>Idempotency-Key</c> (and in metadata
/// <c>idempotency_key</c>, which the webhook uses to find the payment): a retry of the same payment,
/// by Stripe.net after a network error or by PayInvoices, never charges twice.
/// </para>
/// </summary>
internal sealed class StripeGateway : IPaymentGateway, IBrowserCardEntry, IDisposable
{
    /// <summary>
    /// One request's limit. With two automatic retries a charge gives up after about 95 seconds,
    /// inside the two minutes for which PayInvoices holds the invoices it is paying.
    /// </summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private const int NetworkRetries = 2;

    private readonly HttpClient _http;
    private readonly StripeClient _client;
    private readonly ILogger<StripeGateway> _logger;

    public StripeGateway(IOptions<StripeOptions> options, ILogger<StripeGateway> logger)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            throw new InvalidOperationException("Stripe:SecretKey is not set.");
        }
        _logger = logger;
        // A long-lived client whose pooled connections are renewed, so DNS changes are picked up.
        PublishableKey = settings.PublishableKey ?? "";
        ScriptUrl = new Uri(settings.JsUrl, UriKind.Absolute);
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = RequestTimeout };
        _client = new StripeClient(
            settings.SecretKey,
            httpClient: new SystemNetHttpClient(_http, NetworkRetries, appInfo: null, enableTelemetry: false),
            apiBase: string.IsNullOrWhiteSpace(settings.ApiBase) ? null : settings.ApiBase.TrimEnd('/'));
    }

    public string PublishableKey { get; }

    public Uri ScriptUrl { get; }

    /// <summary>
    /// A SetupIntent for off-session card payments on the customer's Stripe customer, with the portal customer's id in
    /// its metadata. Its client secret goes to the browser, where Stripe.js confirms it with the card typed into
    /// Stripe's own fields (and runs the bank's check, 3-D Secure, when the bank asks for one).
    /// </summary>
    public async Task<string> StartCardSetupAsync(string customerId, string customerEmail, CancellationToken cancellationToken)
    {
        var stripeCustomerId = await FindOrCreateCustomerAsync(customerId, customerEmail, cancellationToken);
        var intent = await _client.V1.SetupIntents.CreateAsync(new SetupIntentCreateOptions
        {
            Customer = stripeCustomerId,
            Usage = "off_session",
            // Confirmed by the card fields in the page; nothing that redirects away.
            AutomaticPaymentMethods = new SetupIntentAutomaticPaymentMethodsOptions { Enabled = true, AllowRedirects = "never" },
            Metadata = new Dictionary<string, string> { ["customer_id"] = customerId },
        }, cancellationToken: cancellationToken);
        return intent.ClientSecret;
    }

    /// <summary>
    /// Reads the SetupIntent the browser confirmed, with its payment method. Only a succeeded setup made for this
    /// portal customer gives a card: another customer's id, an unknown id or an unfinished setup are refused.
    /// </summary>
    public async Task<GatewayCard> CompleteCardSetupAsync(string customerId, string setupId, CancellationToken cancellationToken)
    {
        if (!IsStripeId(setupId, "seti_"))
        {
            throw new CardRejectedException(SetupNotFound);
        }
        SetupIntent intent;
        try
        {
            intent = await _client.V1.SetupIntents.GetAsync(setupId, new SetupIntentGetOptions { Expand = ["payment_method"] }, cancellationToken: cancellationToken);
        }
        catch (StripeException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new CardRejectedException(SetupNotFound);
        }
        if (intent.Metadata?.GetValueOrDefault("customer_id") != customerId || string.IsNullOrEmpty(intent.CustomerId))
        {
            _logger.LogWarning("Customer {CustomerId} presented SetupIntent {SetupIntentId}, which was made for someone else", customerId, intent.Id);
            throw new CardRejectedException(SetupNotFound);
        }
        switch (intent.Status)
        {
            case "succeeded":
                break;
            case "requires_action":
                throw new CardRejectedException("Your bank asks you to confirm this card. Please enter it again and complete your bank's check.");
            case "processing":
                throw new CardRejectedException("Stripe is still checking this card. Please try again in a minute.");
            default:
                throw new CardRejectedException(intent.LastSetupError?.Message ?? "Your card was not saved. Please enter it again.");
        }
        var method = intent.PaymentMethod ?? throw new InvalidOperationException($"Stripe returned SetupIntent {intent.Id} without its payment method.");
        var details = method.Card ?? throw new CardRejectedException("Only cards can be saved here.");
        return new GatewayCard(BrandName(details.Brand), details.Last4, (int)details.ExpMonth, (int)details.ExpYear, Token(intent.CustomerId, method.Id));
    }

    private const string SetupNotFound = "This card setup was not found for your account. Please enter your card again.";

    private static bool IsStripeId(string id, string prefix) =>
        id.Length is > 5 and <= 255 && id.StartsWith(prefix, StringComparison.Ordinal) && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>Detaches a removed card's payment method from its Stripe customer; one Stripe no longer has attached is already forgotten.</summary>
    public async Task ForgetCardAsync(string cardToken, CancellationToken cancellationToken)
    {
        if (!TryParseToken(cardToken, out _, out var paymentMethodId))
        {
            return;   // saved while the Simulated gateway was in use: nothing at Stripe
        }
        try
        {
            await _client.V1.PaymentMethods.DetachAsync(paymentMethodId, cancellationToken: cancellationToken);
        }
        catch (StripeException e) when (e.StripeError?.Code is "payment_method_unexpected_state" or "resource_missing")
        {
            _logger.LogInformation("Payment method {PaymentMethodId} was already detached at Stripe", paymentMethodId);
        }
    }

    public async Task<GatewayResult> ChargeAsync(GatewayCharge charge, CancellationToken cancellationToken)
    {
        if (!TryParseToken(charge.CardToken, out var stripeCustomerId, out var paymentMethodId))
        {
            // A card saved while the Simulated gateway was in use has no Stripe payment method.
            return GatewayResult.Declined($"Your card ending in {charge.CardLast4} has to be added again before it can be charged.");
        }
        PaymentIntent intent;
        try
        {
            intent = await _client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions
            {
                Amount = ToMinorUnits(charge.Amount),
                Currency = charge.Amount.Currency.ToLowerInvariant(),
                Customer = stripeCustomerId,
                PaymentMethod = paymentMethodId,
                OffSession = true,
                Confirm = true,
                // Confirmed on the server with no page to come back to: cards only, no redirects.
                AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true, AllowRedirects = "never" },
                Description = charge.Description,
                Metadata = new Dictionary<string, string>
                {
                    ["idempotency_key"] = charge.IdempotencyKey,
                    ["customer_id"] = charge.CustomerId,
                },
            }, new RequestOptions { IdempotencyKey = charge.IdempotencyKey }, cancellationToken);
        }
        catch (StripeException e) when (e.StripeError?.Type == "card_error")
        {
            // Declined, insufficient funds, or the bank wants the customer present (authentication_required).
            return GatewayResult.Declined(e.StripeError.Message ?? "Your card was declined.");
        }
        switch (intent.Status)
        {
            case "succeeded":
                return GatewayResult.Paid(intent.Id);
            case "requires_payment_method" or "canceled":
                return GatewayResult.Declined(intent.LastPaymentError?.Message ?? "Your card was declined.");
            case "requires_action":
                return GatewayResult.Declined("Your bank asks you to confirm this payment, which cannot be done automatically. Nothing was charged.");
            default:
                // "processing" (rare for cards): the outcome comes later by webhook, but the contract has
                // no "pending" answer. Thrown so it is logged as an error and looked at.
                _logger.LogError("Stripe PaymentIntent {PaymentIntentId} for {IdempotencyKey} is {Status}, not final", intent.Id, charge.IdempotencyKey, intent.Status);
                throw new InvalidOperationException($"Stripe PaymentIntent {intent.Id} is {intent.Status}.");
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Stripe's smallest currency unit: cents for EUR, yen for JPY, fils for KWD.</summary>
    internal static long ToMinorUnits(Money amount)
    {
        var factor = 1m;
        for (var i = 0; i < Money.MinorUnitDigits(amount.Currency); i++)
        {
            factor *= 10;
        }
        var minor = amount.Amount * factor;
        if (minor <= 0 || minor != decimal.Truncate(minor))
        {
            throw new ArgumentException($"{amount.Amount.ToString(CultureInfo.InvariantCulture)} {amount.Currency} is not a positive amount in whole minor units.", nameof(amount));
        }
        return (long)minor;
    }

    internal static string Token(string stripeCustomerId, string paymentMethodId) => $"{stripeCustomerId}|{paymentMethodId}";

    internal static bool TryParseToken(string token, out string stripeCustomerId, out string paymentMethodId)
    {
        var parts = token.Split('|');
        (stripeCustomerId, paymentMethodId) = parts.Length == 2 ? (parts[0], parts[1]) : ("", "");
        return stripeCustomerId.StartsWith("cus_", StringComparison.Ordinal) && paymentMethodId.StartsWith("pm_", StringComparison.Ordinal);
    }

    /// <summary>Stripe's brand codes as people write them.</summary>
    internal static string BrandName(string? brand) => brand switch
    {
        "visa" => "Visa",
        "mastercard" => "Mastercard",
        "amex" => "American Express",
        "discover" => "Discover",
        "diners" => "Diners Club",
        "jcb" => "JCB",
        "unionpay" => "UnionPay",
        "cartes_bancaires" => "Cartes Bancaires",
        "eftpos_au" => "eftpos",
        _ => "Card",
    };

    /// <summary>The portal customer's Stripe customer: found by email and <c>metadata.customer_id</c>, or created.</summary>
    private async Task<string> FindOrCreateCustomerAsync(string customerId, string email, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(email))
        {
            // Listing by email is read-your-writes; the Search API can lag by a minute.
            var candidates = await _client.V1.Customers.ListAsync(new CustomerListOptions { Email = email, Limit = 100 }, cancellationToken: cancellationToken);
            var existing = candidates.Data.FirstOrDefault(c => c.Metadata?.GetValueOrDefault("customer_id") == customerId);
            if (existing is not null)
            {
                return existing.Id;
            }
        }
        var created = await _client.V1.Customers.CreateAsync(new CustomerCreateOptions
        {
            Email = string.IsNullOrWhiteSpace(email) ? null : email,
            Metadata = new Dictionary<string, string> { ["customer_id"] = customerId },
        }, cancellationToken: cancellationToken);
        _logger.LogInformation("Created Stripe customer {StripeCustomerId} for customer {CustomerId}", created.Id, customerId);
        return created.Id;
    }
}
