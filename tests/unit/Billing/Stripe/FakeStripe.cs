using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ChaosModular.UnitTests.Billing;

/// <summary>One request as the fake Stripe API received it.</summary>
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
/// A small stand-in for Stripe's API on 127.0.0.1 (Kestrel, a free port): customers, card payment
/// methods, attaching them, and confirmed PaymentIntents, answering with Stripe's JSON shapes and
/// errors. It follows Stripe's test cards: 4242… pays, 4000 0000 0000 0002 is declined and
/// 4000 0000 0000 9995 has insufficient funds when charged, 4000 0000 0000 0069 is expired when
/// attached, a number failing the Luhn check is incorrect. A repeated Idempotency-Key on
/// /v1/payment_intents replays the first answer, as Stripe does. Every request is recorded.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    private readonly ConcurrentQueue<StripeRequest> _requests = new();
    private readonly ConcurrentDictionary<string, JsonObject> _customers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (JsonObject Method, string Number)> _methods = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Status, string Body)> _byIdempotencyKey = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private WebApplication? _app;
    private int _sequence;

    public string Url { get; private set; } = "";

    public IReadOnlyList<StripeRequest> Requests => [.. _requests];

    /// <summary>Answers instead of the fake when it returns a reply, e.g. a 500 for every PaymentIntent.</summary>
    public Func<StripeRequest, (int Status, string Body)?>? Intercept { get; set; }

    public static async Task<FakeStripe> StartAsync()
    {
        var fake = new FakeStripe();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake._app = app;
        fake.Url = app.Urls.Single();
        return fake;
    }

    public IReadOnlyList<StripeRequest> RequestsTo(string method, string path) =>
        Requests.Where(r => r.Method == method && r.Path == path).ToList();

    public void Clear() => _requests.Clear();

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

        var (status, body) = Intercept?.Invoke(recorded) ?? Answer(recorded);
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.Headers["Request-Id"] = $"req_{Interlocked.Increment(ref _sequence)}";
        await http.Response.WriteAsync(body);
    }

    private (int Status, string Body) Answer(StripeRequest r)
    {
        if (r.Authorization is not { Length: > 7 } authorization || !authorization.StartsWith("Bearer sk_", StringComparison.Ordinal))
        {
            return Error(401, "invalid_request_error", null, "You did not provide an API key.");
        }
        var segments = r.Path.Trim('/').Split('/');
        return (r.Method, segments) switch
        {
            ("POST", ["v1", "customers"]) => CreateCustomer(r),
            ("GET", ["v1", "customers"]) => ListCustomers(r),
            ("POST", ["v1", "payment_methods"]) => CreatePaymentMethod(r),
            ("POST", ["v1", "payment_methods", var id, "attach"]) => Attach(id, r),
            ("POST", ["v1", "payment_intents"]) => r.IdempotencyKey is null
                ? CreatePaymentIntent(r)
                : _byIdempotencyKey.GetOrAdd(r.IdempotencyKey, _ => CreatePaymentIntent(r)),
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

    private (int, string) CreatePaymentMethod(StripeRequest r)
    {
        if (r["type"] != "card")
        {
            return Error(400, "invalid_request_error", "parameter_missing", "Missing required param: type.");
        }
        var number = r["card[number]"] ?? "";
        if (number.Length is < 13 or > 19 || !number.All(char.IsAsciiDigit) || !SimulatedLuhn(number))
        {
            return Error(402, "card_error", "incorrect_number", "Your card number is incorrect.");
        }
        var method = new JsonObject
        {
            ["id"] = NextId("pm"),
            ["object"] = "payment_method",
            ["type"] = "card",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["customer"] = null,
            ["livemode"] = false,
            ["metadata"] = Metadata(r.Form),
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
                ["exp_month"] = long.Parse(r["card[exp_month]"] ?? "0", System.Globalization.CultureInfo.InvariantCulture),
                ["exp_year"] = long.Parse(r["card[exp_year]"] ?? "0", System.Globalization.CultureInfo.InvariantCulture),
                ["funding"] = "credit",
                ["country"] = "US",
            },
        };
        _methods[(string)method["id"]!] = (method, number);
        return (200, method.ToJsonString());
    }

    private (int, string) Attach(string id, StripeRequest r)
    {
        if (!_methods.TryGetValue(id, out var stored))
        {
            return Error(404, "invalid_request_error", "resource_missing", $"No such PaymentMethod: '{id}'");
        }
        if (r["customer"] is not { } customer || !_customers.ContainsKey(customer))
        {
            return Error(404, "invalid_request_error", "resource_missing", $"No such customer: '{r["customer"]}'");
        }
        if (stored.Number == "4000000000000069")
        {
            return Error(402, "card_error", "expired_card", "Your card has expired.");
        }
        lock (_lock)
        {
            stored.Method["customer"] = customer;
            return (200, stored.Method.ToJsonString());
        }
    }

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
        switch (stored.Number[^4..])
        {
            case "0002":
                return Error(402, "card_error", "card_declined", "Your card was declined.", "generic_decline", id);
            case "9995":
                return Error(402, "card_error", "card_declined", "Your card has insufficient funds.", "insufficient_funds", id);
        }
        var amount = long.Parse(r["amount"] ?? "0", System.Globalization.CultureInfo.InvariantCulture);
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

    private static bool SimulatedLuhn(string digits) => ChaosModular.Billing.Gateways.SimulatedGateway.PassesLuhn(digits);
}
