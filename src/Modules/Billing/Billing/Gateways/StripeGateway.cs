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
/// Every charge is a PaymentIntent created with <c>confirm=true</c>, <c>off_session=true</c> and the
/// payment's idempotency key as Stripe's <c>Idempotency-Key</c> (and in metadata
/// <c>idempotency_key</c>, which the webhook uses to find the payment): a retry of the same payment,
/// by Stripe.net after a network error or by PayInvoices, never charges twice.
/// </para>
/// </summary>
internal sealed class StripeGateway : IPaymentGateway, IDisposable
{
    /// <summary>
    /// One request's limit. With two automatic retries a charge gives up after about 95 seconds,
    /// inside the two minutes for which PayInvoices holds the invoices it is paying.
    /// </summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private const int NetworkRetries = 2;

    private static readonly HashSet<string> CardErrorCodes = new(StringComparer.Ordinal)
    {
        "card_declined", "expired_card", "incorrect_cvc", "incorrect_number", "incorrect_zip", "invalid_cvc",
        "invalid_expiry_month", "invalid_expiry_year", "invalid_number", "processing_error", "authentication_required",
    };

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
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = RequestTimeout };
        _client = new StripeClient(
            settings.SecretKey,
            httpClient: new SystemNetHttpClient(_http, NetworkRetries, appInfo: null, enableTelemetry: false),
            apiBase: string.IsNullOrWhiteSpace(settings.ApiBase) ? null : settings.ApiBase.TrimEnd('/'));
    }

    /// <summary>
    /// Creates a card PaymentMethod from the card details and attaches it to the customer's Stripe
    /// customer. Stripe checks the card on attach, so a refused card is reported here.
    /// </summary>
    /// <remarks>
    /// Sending raw card numbers from our server is what Stripe's test mode and a local fake accept;
    /// in live mode Stripe requires the card to be collected in the browser with Stripe.js / Elements
    /// (our servers then only ever see a <c>pm_…</c> id), unless the account is approved for raw card
    /// data. Going live means replacing the card form with Elements and a SetupIntent; the charge path
    /// and the token format stay as they are.
    /// </remarks>
    public async Task<GatewayCard> SaveCardAsync(string customerId, string customerEmail, CardInput card, CancellationToken cancellationToken)
    {
        try
        {
            var stripeCustomerId = await FindOrCreateCustomerAsync(customerId, customerEmail, cancellationToken);
            var created = await _client.V1.PaymentMethods.CreateAsync(new PaymentMethodCreateOptions
            {
                Type = "card",
                Card = new PaymentMethodCardOptions
                {
                    Number = new string(card.Number.Where(char.IsAsciiDigit).ToArray()),
                    ExpMonth = card.ExpiryMonth,
                    ExpYear = card.ExpiryYear,
                    Cvc = card.Cvc.Trim(),
                },
                Metadata = new Dictionary<string, string> { ["customer_id"] = customerId },
            }, cancellationToken: cancellationToken);
            var attached = await _client.V1.PaymentMethods.AttachAsync(created.Id, new PaymentMethodAttachOptions { Customer = stripeCustomerId },
                cancellationToken: cancellationToken);
            var details = attached.Card ?? created.Card
                ?? throw new InvalidOperationException($"Stripe returned payment method {attached.Id} without card details.");
            return new GatewayCard(BrandName(details.Brand), details.Last4, (int)details.ExpMonth, (int)details.ExpYear, Token(stripeCustomerId, attached.Id));
        }
        catch (StripeException e) when (IsCardError(e))
        {
            throw new CardRejectedException(e.StripeError.Message ?? "Your card was declined.");
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

    private static bool IsCardError(StripeException e) =>
        e.StripeError is { } error && (error.Type == "card_error" || (error.Code is { } code && CardErrorCodes.Contains(code)));

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
