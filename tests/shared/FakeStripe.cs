using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ChaosModular.Testing;

/// <summary>One request as the fake Stripe API received it.</summary>
/// <summary>A PaymentIntent the fake Stripe created: its amount in minor units, currency, status and the key it was asked with.</summary>
public sealed record FakePaymentIntent(string Id, long Amount, string Currency, string Status, string? IdempotencyKey);

public sealed record StripeRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Form,
    string? IdempotencyKey,
    string? Authorization)
{
    public string? this[string field] => Form.GetValueOrDefault(field);
}

/// <summary>
/// A small stand-in for Stripe on 127.0.0.1 (Kestrel, a free port), shared by the unit and end-to-end tests:
/// <list type="bullet">
/// <item>Stripe's API for the server (secret key): customers, SetupIntents (created, read with their payment method
/// expanded) and confirmed PaymentIntents, answering with Stripe's JSON shapes and errors;</item>
/// <item>what Stripe.js does in the browser (publishable key, form field <c>key</c>, CORS open): confirming a
/// SetupIntent with the card typed in (<c>POST /v1/setup_intents/{id}/confirm</c>);</item>
/// <item>a stand-in Stripe.js at <c>/v3/</c>: <c>Stripe(pk).elements().create('card')</c> mounts card fields (with no
/// <c>name</c>, so a form never posts them) and <c>confirmCardSetup</c> sends them here. Real Stripe.js draws its
/// fields in its own frame; the stand-in does not, which is all the difference the portal can see.</item>
/// </list>
/// It follows Stripe's test cards: 4242… pays, 4000 0000 0000 0002 is declined and 4000 0000 0000 9995 has
/// insufficient funds when charged (both are saved, as the Simulated gateway does, so a decline shows at payment),
/// 4000 0000 0000 0069 is expired when set up, a number failing the Luhn check is incorrect. A repeated Idempotency-Key
/// on /v1/payment_intents replays the first answer, as Stripe does. Every request is recorded.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    private readonly ConcurrentQueue<StripeRequest> _requests = new();
    private readonly ConcurrentDictionary<string, JsonObject> _customers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (JsonObject Method, string Number)> _methods = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _setupIntents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<(int Status, string Body)>> _byIdempotencyKey = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakePaymentIntent> _paymentIntents = new();
    private readonly Lock _lock = new();
    private WebApplication? _app;
    private int _sequence;

    public string Url { get; private set; } = "";

    public IReadOnlyList<StripeRequest> Requests => [.. _requests];

    /// <summary>
    /// The PaymentIntents this Stripe made (declined ones too, as Stripe keeps them): what a customer's statement and the
    /// Stripe dashboard would show, whatever number of requests asked for them.
    /// </summary>
    public IReadOnlyList<FakePaymentIntent> PaymentIntents => [.. _paymentIntents];

    /// <summary>Answers instead of the fake when it returns a reply, e.g. a 500 for every PaymentIntent.</summary>
    public Func<StripeRequest, (int Status, string Body)?>? Intercept { get; set; }

    /// <summary>The publishable key the tests configure (<c>Stripe:PublishableKey</c>).</summary>
    public const string PublishableKey = "pk_test_fake";

    /// <summary>Where the stand-in Stripe.js is served (<c>Stripe:JsUrl</c>).</summary>
    public string JsUrl => Url + "/v3/";

    /// <summary>Starts on a free port, or on <paramref name="port"/> when the address must be known before (a process's settings).</summary>
    public static async Task<FakeStripe> StartAsync(int port = 0)
    {
        var fake = new FakeStripe();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake._app = app;
        fake.Url = app.Urls.Single();
        return fake;
    }

    public IReadOnlyList<StripeRequest> RequestsTo(string method, string path) =>
        Requests.Where(r => r.Method == method && r.Path == path).ToList();

    public void Clear()
    {
        _requests.Clear();
        _paymentIntents.Clear();
    }

    /// <summary>
    /// What Stripe.js's <c>confirmCardSetup</c> does with the card typed into its fields: confirms the SetupIntent of
    /// <paramref name="clientSecret"/> with the publishable key. Returns Stripe's answer: the SetupIntent, or
    /// <c>{"error": …}</c> for a refused card.
    /// </summary>
    public Task<JsonObject> ConfirmSetupAsBrowserAsync(string clientSecret, string number, int expiryMonth = 12, int expiryYear = 2031, string cvc = "123") =>
        ConfirmSetupAsBrowserAsync(Url, clientSecret, number, expiryMonth, expiryYear, cvc);

    /// <summary>The same against the fake Stripe at <paramref name="stripeUrl"/> (read from a page's Stripe.js address).</summary>
    public static async Task<JsonObject> ConfirmSetupAsBrowserAsync(string stripeUrl, string clientSecret, string number, int expiryMonth = 12, int expiryYear = 2031, string cvc = "123")
    {
        using var http = new HttpClient();
        using var answer = await http.PostAsync(new Uri($"{stripeUrl}/v1/setup_intents/{SetupIdOf(clientSecret)}/confirm"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = PublishableKey,
            ["client_secret"] = clientSecret,
            ["payment_method_data[type]"] = "card",
            ["payment_method_data[card][number]"] = number,
            ["payment_method_data[card][exp_month]"] = expiryMonth.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["payment_method_data[card][exp_year]"] = expiryYear.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["payment_method_data[card][cvc]"] = cvc,
        }));
        return JsonNode.Parse(await answer.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>A SetupIntent's id from its client secret (<c>seti_…_secret_…</c>), as Stripe.js reads it.</summary>
    public static string SetupIdOf(string clientSecret) => clientSecret[..clientSecret.IndexOf("_secret_", StringComparison.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var form = request.HasFormContentType
            ? (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var recorded = new StripeRequest(
            request.Method,
            request.Path.Value ?? "",
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            form,
            request.Headers.TryGetValue("Idempotency-Key", out var key) ? key.ToString() : null,
            request.Headers.Authorization.ToString());
        _requests.Enqueue(recorded);

        // What a browser on the portal's pages may ask (Stripe's API allows any origin with a publishable key).
        http.Response.Headers.AccessControlAllowOrigin = "*";
        if (request.Method == "OPTIONS")
        {
            http.Response.Headers.AccessControlAllowMethods = "GET, POST";
            http.Response.Headers.AccessControlAllowHeaders = "Content-Type";
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        if (request.Method == "GET" && recorded.Path == "/v3/")
        {
            http.Response.ContentType = "text/javascript; charset=utf-8";
            await http.Response.WriteAsync(StandInStripeJs.Replace("__BASE__", Url, StringComparison.Ordinal));
            return;
        }
        var (status, body) = Intercept?.Invoke(recorded) ?? Answer(recorded);
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.Headers["Request-Id"] = $"req_{Interlocked.Increment(ref _sequence)}";
        await http.Response.WriteAsync(body);
    }

    private (int Status, string Body) Answer(StripeRequest r)
    {
        var segments = r.Path.Trim('/').Split('/');
        if (r.Method == "POST" && segments is ["v1", "setup_intents", var confirmed, "confirm"])
        {
            // From the browser: the publishable key, as Stripe.js sends it.
            return r["key"] is { } key && key.StartsWith("pk_", StringComparison.Ordinal)
                ? ConfirmSetupIntent(confirmed, r)
                : Error(401, "invalid_request_error", null, "You did not provide an API key.");
        }
        if (r.Authorization is not { Length: > 7 } authorization || !authorization.StartsWith("Bearer sk_", StringComparison.Ordinal))
        {
            return Error(401, "invalid_request_error", null, "You did not provide an API key.");
        }
        return (r.Method, segments) switch
        {
            ("POST", ["v1", "customers"]) => CreateCustomer(r),
            ("GET", ["v1", "customers"]) => ListCustomers(r),
            ("POST", ["v1", "setup_intents"]) => CreateSetupIntent(r),
            ("GET", ["v1", "setup_intents", var id]) => GetSetupIntent(id, r),
            ("POST", ["v1", "payment_methods", var id, "detach"]) => DetachPaymentMethod(id),
            ("POST", ["v1", "payment_intents"]) => r.IdempotencyKey is null
                ? CreatePaymentIntent(r)
                : _byIdempotencyKey.GetOrAdd(r.IdempotencyKey, _ => new Lazy<(int Status, string Body)>(() => CreatePaymentIntent(r))).Value,
            _ => Error(404, "invalid_request_error", null, $"Unrecognized request URL ({r.Method}: {r.Path})."),
        };
    }

    private (int, string) CreateCustomer(StripeRequest r)
    {
        var customer = new JsonObject
        {
            ["id"] = NextId("cus"),
            ["object"] = "customer",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["email"] = r["email"],
            ["livemode"] = false,
            ["metadata"] = Metadata(r.Form),
        };
        _customers[(string)customer["id"]!] = customer;
        return (200, customer.ToJsonString());
    }

    private (int, string) ListCustomers(StripeRequest r)
    {
        var email = r.Query.GetValueOrDefault("email");
        var data = new JsonArray();
        foreach (var customer in _customers.Values.Where(c => email is null || (string?)c["email"] == email))
        {
            data.Add(customer.DeepClone());
        }
        return (200, new JsonObject { ["object"] = "list", ["data"] = data, ["has_more"] = false, ["url"] = "/v1/customers" }.ToJsonString());
    }

    private (int, string) CreateSetupIntent(StripeRequest r)
    {
        if (r["customer"] is not { } customer || !_customers.ContainsKey(customer))
        {
            return Error(404, "invalid_request_error", "resource_missing", $"No such customer: '{r["customer"]}'");
        }
        var id = NextId("seti");
        var intent = new JsonObject
        {
            ["id"] = id,
            ["object"] = "setup_intent",
            ["client_secret"] = $"{id}_secret_{Guid.NewGuid():N}",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["customer"] = customer,
            ["usage"] = r["usage"] ?? "off_session",
            ["status"] = "requires_payment_method",
            ["payment_method"] = null,
            ["last_setup_error"] = null,
            ["livemode"] = false,
            ["metadata"] = Metadata(r.Form),
        };
        _setupIntents[id] = intent;
        lock (_lock)
        {
            return (200, intent.ToJsonString());
        }
    }

    private (int, string) GetSetupIntent(string id, StripeRequest r)
    {
        if (!_setupIntents.TryGetValue(id, out var intent))
        {
            return Error(404, "invalid_request_error", "resource_missing", $"No such setupintent: '{id}'");
        }
        lock (_lock)
        {
            var answer = intent.DeepClone().AsObject();
            var expand = r.Query.Where(q => q.Key.StartsWith("expand", StringComparison.Ordinal)).Select(q => q.Value);
            if (expand.Contains("payment_method") && (string?)intent["payment_method"] is { } methodId)
            {
                answer["payment_method"] = _methods[methodId].Method.DeepClone();
            }
            return (200, answer.ToJsonString());
        }
    }

    /// <summary>Stripe.js's confirmation: makes the card's payment method and attaches it to the SetupIntent's customer.</summary>
    private (int, string) ConfirmSetupIntent(string id, StripeRequest r)
    {
        if (!_setupIntents.TryGetValue(id, out var intent) || r["client_secret"] != (string?)intent["client_secret"])
        {
            return Error(404, "invalid_request_error", "resource_missing", $"No such setupintent: '{id}'");
        }
        lock (_lock)
        {
            if ((string?)intent["status"] == "succeeded")
            {
                return Error(400, "invalid_request_error", "setup_intent_unexpected_state", "You cannot confirm this SetupIntent because it has already succeeded.");
            }
            var number = new string((r["payment_method_data[card][number]"] ?? "").Where(char.IsAsciiDigit).ToArray());
            var refusal = number.Length is < 13 or > 19 || !Luhn(number)
                ? ("incorrect_number", "Your card number is incorrect.")
                : number == "4000000000000069" ? ("expired_card", "Your card has expired.")
                : default((string Code, string Message)?);
            if (refusal is { } refused)
            {
                intent["status"] = "requires_payment_method";
                intent["last_setup_error"] = new JsonObject { ["type"] = "card_error", ["code"] = refused.Code, ["message"] = refused.Message };
                return Error(402, "card_error", refused.Code, refused.Message);
            }
            var method = Card(number, r["payment_method_data[card][exp_month]"], r["payment_method_data[card][exp_year]"]);
            method["customer"] = (string?)intent["customer"];
            _methods[(string)method["id"]!] = (method, number);
            intent["payment_method"] = (string?)method["id"];
            intent["status"] = "succeeded";
            intent["last_setup_error"] = null;
            return (200, intent.ToJsonString());
        }
    }

    /// <summary>Detaches a payment method from its customer: it can no longer be charged (a charge with it is refused).</summary>
    private (int, string) DetachPaymentMethod(string id)
    {
        if (!_methods.TryGetValue(id, out var stored) || stored.Method["customer"] is null)
        {
            return Error(400, "invalid_request_error", "payment_method_unexpected_state", $"The payment method {id} is not attached to a customer.");
        }
        lock (_lock)
        {
            stored.Method["customer"] = null;
            return (200, stored.Method.ToJsonString());
        }
    }

    /// <summary>Whether a payment method is still attached to a customer (false once detached, or when unknown).</summary>
    public bool IsAttached(string paymentMethodId) => _methods.TryGetValue(paymentMethodId, out var stored) && stored.Method["customer"] is not null;

    private JsonObject Card(string number, string? expiryMonth, string? expiryYear) => new()
    {
        ["id"] = NextId("pm"),
        ["object"] = "payment_method",
        ["type"] = "card",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["customer"] = null,
        ["livemode"] = false,
        ["metadata"] = new JsonObject(),
        ["billing_details"] = new JsonObject { ["email"] = null, ["name"] = null },
        ["card"] = new JsonObject
        {
            ["brand"] = number switch
            {
                ['4', ..] => "visa",
                ['5', ..] or ['2', ..] => "mastercard",
                ['3', '4' or '7', ..] => "amex",
                _ => "unknown",
            },
            ["last4"] = number[^4..],
            ["exp_month"] = long.TryParse(expiryMonth, System.Globalization.CultureInfo.InvariantCulture, out var month) ? month : 0,
            ["exp_year"] = long.TryParse(expiryYear, System.Globalization.CultureInfo.InvariantCulture, out var year) ? (year < 100 ? 2000 + year : year) : 0,
            ["funding"] = "credit",
            ["country"] = "US",
        },
    };

    private (int, string) CreatePaymentIntent(StripeRequest r)
    {
        if (r["payment_method"] is not { } methodId || !_methods.TryGetValue(methodId, out var stored))
        {
            return Error(404, "invalid_request_error", "resource_missing", $"No such PaymentMethod: '{r["payment_method"]}'");
        }
        string? attachedTo;
        lock (_lock)
        {
            attachedTo = (string?)stored.Method["customer"];
        }
        if (attachedTo != r["customer"])
        {
            return Error(400, "invalid_request_error", null, "The provided PaymentMethod does not belong to this customer.");
        }
        var id = NextId("pi");
        var amount = long.Parse(r["amount"] ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var declined = stored.Number[^4..] is "0002" or "9995";
        _paymentIntents.Enqueue(new FakePaymentIntent(id, amount, r["currency"] ?? "", declined ? "requires_payment_method" : "succeeded", r.IdempotencyKey));
        switch (stored.Number[^4..])
        {
            case "0002":
                return Error(402, "card_error", "card_declined", "Your card was declined.", "generic_decline", id);
            case "9995":
                return Error(402, "card_error", "card_declined", "Your card has insufficient funds.", "insufficient_funds", id);
        }
        return (200, new JsonObject
        {
            ["id"] = id,
            ["object"] = "payment_intent",
            ["amount"] = amount,
            ["amount_received"] = amount,
            ["currency"] = r["currency"],
            ["customer"] = r["customer"],
            ["payment_method"] = methodId,
            ["description"] = r["description"],
            ["status"] = "succeeded",
            ["capture_method"] = "automatic",
            ["confirmation_method"] = "automatic",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["last_payment_error"] = null,
            ["metadata"] = Metadata(r.Form),
        }.ToJsonString());
    }

    private string NextId(string prefix) => $"{prefix}_fake{Interlocked.Increment(ref _sequence):D6}";

    private static JsonObject Metadata(IReadOnlyDictionary<string, string> form)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal) && f.Key.EndsWith(']')))
        {
            metadata[key["metadata[".Length..^1]] = value;
        }
        return metadata;
    }

    private static (int, string) Error(int status, string type, string? code, string message, string? declineCode = null, string? paymentIntent = null)
    {
        var error = new JsonObject { ["type"] = type, ["message"] = message };
        if (code is not null)
        {
            error["code"] = code;
        }
        if (declineCode is not null)
        {
            error["decline_code"] = declineCode;
        }
        if (paymentIntent is not null)
        {
            error["payment_intent"] = new JsonObject { ["id"] = paymentIntent, ["object"] = "payment_intent", ["status"] = "requires_payment_method" };
        }
        return (status, new JsonObject { ["error"] = error }.ToJsonString());
    }

    private static bool Luhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return sum % 10 == 0;
    }

    /// <summary>
    /// Stripe.js as far as the portal uses it, talking to this fake (<c>__BASE__</c> is replaced by its address). The
    /// card fields have labels for screen readers and no <c>name</c>: a form around them never posts them.
    /// </summary>
    private const string StandInStripeJs = """
        (() => {
            const base = '__BASE__';
            const input = (label, autocomplete, placeholder) => {
                const field = document.createElement('input');
                field.className = 'form-control form-control-sm';
                field.type = 'text';
                field.inputMode = 'numeric';
                field.autocomplete = autocomplete;
                field.placeholder = placeholder;
                field.setAttribute('aria-label', label);
                field.dataset.standIn = label;
                return field;
            };
            const column = (size, field) => { const col = document.createElement('div'); col.className = size; col.append(field); return col; };
            window.Stripe = function (publishableKey) {
                if (!/^pk_/.test(publishableKey)) throw new Error('Stripe stand-in: a publishable key (pk_...) is required.');
                return {
                    elements() {
                        return {
                            create(type) {
                                if (type !== 'card') throw new Error('Stripe stand-in: only the card element.');
                                const fields = {
                                    number: input('Card number', 'cc-number', '1234 1234 1234 1234'),
                                    expiry: input('Expiry date (MM / YY)', 'cc-exp', 'MM / YY'),
                                    cvc: input('Security code (CVC)', 'cc-csc', 'CVC'),
                                };
                                const listeners = [];
                                return {
                                    fields,
                                    mount(target) {
                                        const host = typeof target === 'string' ? document.querySelector(target) : target;
                                        const row = document.createElement('div');
                                        row.className = 'row g-2';
                                        row.append(column('col-6', fields.number), column('col-3', fields.expiry), column('col-3', fields.cvc));
                                        host.append(row);
                                        Object.values(fields).forEach((f) => f.addEventListener('input', () => listeners.forEach((l) => l({ error: undefined, complete: false }))));
                                    },
                                    on(event, listener) { if (event === 'change') listeners.push(listener); },
                                };
                            },
                        };
                    },
                    async confirmCardSetup(clientSecret, data) {
                        const fields = data.payment_method.card.fields;
                        const [month, year] = fields.expiry.value.split('/').map((part) => part.trim());
                        const body = new URLSearchParams({
                            key: publishableKey,
                            client_secret: clientSecret,
                            'payment_method_data[type]': 'card',
                            'payment_method_data[card][number]': fields.number.value,
                            'payment_method_data[card][exp_month]': month ?? '',
                            'payment_method_data[card][exp_year]': year ?? '',
                            'payment_method_data[card][cvc]': fields.cvc.value,
                        });
                        const id = clientSecret.slice(0, clientSecret.indexOf('_secret_'));
                        const answer = await fetch(`${base}/v1/setup_intents/${id}/confirm`, { method: 'POST', body });
                        const json = await answer.json();
                        return json.error ? { error: json.error } : { setupIntent: json };
                    },
                };
            };
        })();
        """;
}
