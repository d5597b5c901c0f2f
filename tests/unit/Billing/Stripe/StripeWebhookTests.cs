using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Gateways;

namespace ChaosModular.UnitTests.Billing;

/// <summary>The portal with Stripe configured against the fake Stripe API.</summary>
public sealed class StripePortal : IAsyncLifetime
{
    public const string WebhookSecret = "whsec_test";

    public FakeStripe Stripe { get; private set; } = null!;
    public SqlitePortalFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stripe = await FakeStripe.StartAsync();
        Factory = new SqlitePortalFactory();
        Factory.With("Billing:Gateway", "Stripe").With("Stripe:SecretKey", "sk_test_x").With("Stripe:WebhookSecret", WebhookSecret).With("Stripe:ApiBase", Stripe.Url)
            .With("Stripe:PublishableKey", FakeStripe.PublishableKey).With("Stripe:JsUrl", Stripe.JsUrl);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}

/// <summary>
/// Cards and payments through Stripe in the running portal, and the signed webhook that completes a
/// payment left Pending when the process stopped between the charge and its record.
/// </summary>
public sealed class StripeWebhookTests(StripePortal portal) : IClassFixture<StripePortal>
{
    private PortalFactory Factory => portal.Factory;

    [Fact]
    public async Task With_a_Stripe_key_cards_are_saved_at_Stripe_and_invoices_are_paid_through_it()
    {
        var customer = await BillingCustomer.SignUpAsync(Factory);
        var invoice = await customer.InvoiceAsync("EUR", 12.34m);

        var page = await customer.PayAsync(invoice.InvoiceId);

        Assert.Contains("Payment received", page, StringComparison.Ordinal);
        await using var scope = Factory.Services.CreateAsyncScope();
        Assert.IsType<StripeGateway>(scope.ServiceProvider.GetRequiredService<IPaymentGateway>());
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var method = await db.PaymentMethods.SingleAsync(m => m.CustomerId == customer.UserId);
        Assert.Equal(("Visa", "4242"), (method.Brand, method.Last4));
        Assert.Matches("^cus_[^|]+\\|pm_[^|]+$", method.GatewayToken);
        var payment = await db.Payments.SingleAsync(p => p.CustomerId == customer.UserId);
        var intent = Assert.Single(portal.Stripe.Requests, r => r.Path == "/v1/payment_intents" && r["metadata[idempotency_key]"] == payment.IdempotencyKey);
        var stored = await db.Invoices.SingleAsync(i => i.Id == invoice.InvoiceId);
        Assert.Equal(ToMinor(stored.Total), intent["amount"]);
        Assert.Equal(payment.IdempotencyKey, intent.IdempotencyKey);
        Assert.Equal((PaymentStatus.Succeeded, InvoiceStatus.Paid), (payment.Status, stored.Status));
        var created = Assert.Single(portal.Stripe.PaymentIntents, pi => pi.IdempotencyKey == payment.IdempotencyKey);
        Assert.Equal((payment.GatewayReference, "succeeded"), (created.Id, created.Status));
    }

    [Fact]
    public async Task A_bad_signature_is_refused_and_changes_nothing()
    {
        var pending = await PendingPaymentAsync(age: TimeSpan.FromMinutes(10));
        var json = Event("payment_intent.succeeded", "pi_bad", pending.Key);

        var wrongSecret = await PostAsync(json, Signature(json, "whsec_someone_else", DateTimeOffset.UtcNow));
        var tampered = await PostAsync(json.Replace("pi_bad", "pi_evil", StringComparison.Ordinal), Signature(json, StripePortal.WebhookSecret, DateTimeOffset.UtcNow));
        var stale = await PostAsync(json, Signature(json, StripePortal.WebhookSecret, DateTimeOffset.UtcNow.AddHours(-1)));
        var unsigned = await PostAsync(json, signature: null);

        Assert.All([wrongSecret, tampered, stale, unsigned], r => Assert.Equal(HttpStatusCode.BadRequest, r));
        await AssertStillPendingAsync(pending);
    }

    [Fact]
    public async Task Payment_intent_succeeded_completes_a_pending_payment_and_pays_the_invoice()
    {
        var pending = await PendingPaymentAsync(age: TimeSpan.FromMinutes(10));
        var json = Event("payment_intent.succeeded", "pi_from_webhook", pending.Key);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(json, Signature(json, StripePortal.WebhookSecret, DateTimeOffset.UtcNow)));

        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var payment = await db.Payments.Include(p => p.Allocations).SingleAsync(p => p.Id == pending.PaymentId);
        Assert.Equal((PaymentStatus.Succeeded, "pi_from_webhook"), (payment.Status, payment.GatewayReference));
        Assert.Equal(pending.InvoiceId, Assert.Single(payment.Allocations).InvoiceId);
        var invoice = await db.Invoices.SingleAsync(i => i.Id == pending.InvoiceId);
        Assert.Equal((InvoiceStatus.Paid, invoice.Total, (Guid?)null), (invoice.Status, invoice.AmountPaid, invoice.PaymentLockId));

        // Stripe delivers at least once: the same event again changes nothing.
        Assert.Equal(HttpStatusCode.OK, await PostAsync(json, Signature(json, StripePortal.WebhookSecret, DateTimeOffset.UtcNow)));
        await using var again = Factory.Services.CreateAsyncScope();
        var after = again.ServiceProvider.GetRequiredService<BillingDbContext>();
        Assert.Single(await after.Set<PaymentAllocation>().AsNoTracking().Where(a => a.PaymentId == pending.PaymentId).ToListAsync());
        Assert.Equal(invoice.Total, (await after.Invoices.AsNoTracking().SingleAsync(i => i.Id == pending.InvoiceId)).AmountPaid);
    }

    [Fact]
    public async Task Payment_intent_payment_failed_records_the_decline_and_releases_the_invoice()
    {
        var pending = await PendingPaymentAsync(age: TimeSpan.FromMinutes(10));
        var json = Event("payment_intent.payment_failed", "pi_failed", pending.Key, declineMessage: "Your card has insufficient funds.");

        Assert.Equal(HttpStatusCode.OK, await PostAsync(json, Signature(json, StripePortal.WebhookSecret, DateTimeOffset.UtcNow)));

        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var payment = await db.Payments.SingleAsync(p => p.Id == pending.PaymentId);
        Assert.Equal((PaymentStatus.Failed, "Your card has insufficient funds."), (payment.Status, payment.FailureReason));
        var invoice = await db.Invoices.SingleAsync(i => i.Id == pending.InvoiceId);
        Assert.Equal((InvoiceStatus.Open, 0m, (Guid?)null), (invoice.Status, invoice.AmountPaid, invoice.PaymentLockId));
    }

    [Fact]
    public async Task A_payment_still_in_the_hands_of_its_request_is_left_to_it_and_Stripe_is_asked_to_retry()
    {
        var pending = await PendingPaymentAsync(age: TimeSpan.FromSeconds(5));
        var json = Event("payment_intent.succeeded", "pi_early", pending.Key);

        Assert.Equal(HttpStatusCode.Conflict, await PostAsync(json, Signature(json, StripePortal.WebhookSecret, DateTimeOffset.UtcNow)));

        await AssertStillPendingAsync(pending);
    }

    [Theory]
    [InlineData("customer.created", "unknown-key")]
    [InlineData("payment_intent.succeeded", "")]
    [InlineData("payment_intent.succeeded", "never-recorded")]
    public async Task Other_events_are_acknowledged_and_ignored(string type, string key)
    {
        var pending = await PendingPaymentAsync(age: TimeSpan.FromMinutes(10));
        var json = Event(type, "pi_other", key);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(json, Signature(json, StripePortal.WebhookSecret, DateTimeOffset.UtcNow)));

        await AssertStillPendingAsync(pending);
    }

    [Theory]
    [InlineData(9901, "eur")]
    [InlineData(9900, "usd")]
    public async Task A_success_for_another_amount_or_currency_is_not_applied(long amount, string currency)
    {
        var pending = await PendingPaymentAsync(age: TimeSpan.FromMinutes(10));
        var json = Event("payment_intent.succeeded", "pi_other_amount", pending.Key, amount: amount, currency: currency);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(json, Signature(json, StripePortal.WebhookSecret, DateTimeOffset.UtcNow)));

        await AssertStillPendingAsync(pending);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_unread()
    {
        var pending = await PendingPaymentAsync(age: TimeSpan.FromMinutes(10));
        var json = Event("payment_intent.succeeded", "pi_large", pending.Key, padding: new string('x', 300 * 1024));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostAsync(json, Signature(json, StripePortal.WebhookSecret, DateTimeOffset.UtcNow)));

        await AssertStillPendingAsync(pending);
    }

    private sealed record Pending(Guid PaymentId, string Key, Guid InvoiceId);

    /// <summary>A payment as PayInvoices leaves it when the process stops after claiming the invoice: Pending, the invoice locked to it.</summary>
    private async Task<Pending> PendingPaymentAsync(TimeSpan age)
    {
        var customer = await BillingCustomer.SignUpAsync(Factory);
        var summary = await customer.InvoiceAsync("EUR", 99m);
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var method = await db.PaymentMethods.AsNoTracking().SingleAsync(m => m.CustomerId == customer.UserId && m.IsDefault);
        var invoice = await db.Invoices.AsNoTracking().SingleAsync(i => i.Id == summary.InvoiceId);
        var startedUtc = DateTime.UtcNow - age;
        var paymentId = Guid.NewGuid();
        var key = $"webhook-{Guid.NewGuid():N}:EUR";
        var claimed = await db.Invoices.Where(i => i.Id == invoice.Id && i.PaymentLockId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.PaymentLockId, paymentId).SetProperty(i => i.PaymentLockUntilUtc, startedUtc.AddMinutes(2)));
        Assert.Equal(1, claimed);
        db.Payments.Add(Payment.Start(paymentId, key, customer.UserId, "EUR", invoice.Balance, 0m, method, startedUtc, automatic: false, $"Invoices {invoice.Number}"));
        await db.SaveChangesAsync();
        return new Pending(paymentId, key, invoice.Id);
    }

    private async Task AssertStillPendingAsync(Pending pending)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == pending.PaymentId);
        Assert.Equal((PaymentStatus.Pending, (string?)null), (payment.Status, payment.GatewayReference));
        var invoice = await db.Invoices.AsNoTracking().SingleAsync(i => i.Id == pending.InvoiceId);
        Assert.Equal((InvoiceStatus.Open, 0m, (Guid?)pending.PaymentId), (invoice.Status, invoice.AmountPaid, invoice.PaymentLockId));
    }

    private async Task<HttpStatusCode> PostAsync(string json, string? signature)
    {
        using var client = Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/billing/stripe/webhook") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Stripe's scheme: HMAC-SHA256 of "{timestamp}.{payload}" with the endpoint secret, sent as t=…,v1=….</summary>
    private static string Signature(string json, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{json}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    private static string Event(string type, string paymentIntentId, string idempotencyKey, string? declineMessage = null,
        long amount = 9900, string currency = "eur", string? padding = null)
    {
        var metadata = new JsonObject();
        if (idempotencyKey.Length > 0)
        {
            metadata["idempotency_key"] = idempotencyKey;
        }
        var intent = new JsonObject
        {
            ["id"] = paymentIntentId,
            ["object"] = "payment_intent",
            ["amount"] = amount,
            ["currency"] = currency,
            ["status"] = declineMessage is null ? "succeeded" : "requires_payment_method",
            ["livemode"] = false,
            ["metadata"] = metadata,
            ["description"] = padding,
            ["last_payment_error"] = declineMessage is null
                ? null
                : new JsonObject { ["type"] = "card_error", ["code"] = "card_declined", ["decline_code"] = "insufficient_funds", ["message"] = declineMessage },
        };
        return new JsonObject
        {
            ["id"] = $"evt_{Guid.NewGuid():N}",
            ["object"] = "event",
            ["api_version"] = "2026-10-28.endive",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = idempotencyKey },
            ["type"] = type,
            ["data"] = new JsonObject { ["object"] = type.StartsWith("payment_intent.", StringComparison.Ordinal) ? intent : new JsonObject { ["id"] = "cus_x", ["object"] = "customer" } },
        }.ToJsonString();
    }

    private static string ToMinor(decimal amount) => decimal.ToInt64(amount * 100).ToString(CultureInfo.InvariantCulture);
}
