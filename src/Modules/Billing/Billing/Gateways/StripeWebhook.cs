using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;

namespace ChaosModular.Billing.Gateways;

/// <summary>
/// <c>POST /billing/stripe/webhook</c>: Stripe's word on PaymentIntents, verified with the endpoint's
/// signing secret. It completes a payment left Pending when the process stopped between the charge and
/// its record: <c>payment_intent.succeeded</c> pays the invoices, <c>payment_intent.payment_failed</c>
/// records the decline. Answers 400 to a bad signature (changing nothing), 413 to a body over
/// <see cref="MaxBodyBytes"/>, 404 when Stripe is not configured, 409 while a payment is still young enough to be
/// recorded by the request that made it (Stripe retries later), and 200 otherwise, for handled and ignored events
/// alike. A success whose amount or currency is not the recorded payment's is not applied: it is logged for
/// reconciliation and the payment stays Pending.
/// </summary>
internal static class StripeWebhook
{
    public const string Route = "/billing/stripe/webhook";

    /// <summary>
    /// A Pending payment younger than this is still in the hands of the request that charged it
    /// (a charge gives up within about 95 seconds); the webhook leaves it alone so the outcome is not
    /// recorded twice, and Stripe's retry finds it settled or abandoned.
    /// </summary>
    internal static readonly TimeSpan PendingGrace = TimeSpan.FromMinutes(5);

    /// <summary>Far above any PaymentIntent event; a larger body is refused before it is read.</summary>
    internal const int MaxBodyBytes = 256 * 1024;

    /// <summary>Signatures older than this are refused (Stripe's recommended tolerance).</summary>
    private const long ToleranceSeconds = 300;

    public static RouteHandlerBuilder Map(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(Route, (Delegate)HandleAsync).AllowAnonymous().DisableAntiforgery();

    private static async Task<IResult> HandleAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<StripeOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StripeWebhook));
        if (!options.Enabled || string.IsNullOrWhiteSpace(options.WebhookSecret))
        {
            return Results.NotFound();
        }

        if (await ReadBodyAsync(http) is not { } json)
        {
            return Results.Text("The event is too large.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        Event stripeEvent;
        try
        {
            // The API version is not enforced: only the PaymentIntent's id, metadata and last error are read,
            // which every version has, and an endpoint pinned to another version must not lose events.
            stripeEvent = EventUtility.ConstructEvent(json, http.Request.Headers["Stripe-Signature"].ToString(), options.WebhookSecret,
                ToleranceSeconds, throwOnApiVersionMismatch: false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Stripe webhook refused: {Reason}", e.Message);
            return Results.Text("The Stripe signature is missing or invalid.", statusCode: StatusCodes.Status400BadRequest);
        }

        var succeeded = stripeEvent.Type == EventTypes.PaymentIntentSucceeded;
        if ((!succeeded && stripeEvent.Type != EventTypes.PaymentIntentPaymentFailed) || stripeEvent.Data?.Object is not PaymentIntent intent)
        {
            return Results.Ok();
        }
        var key = intent.Metadata?.GetValueOrDefault("idempotency_key");
        if (string.IsNullOrEmpty(key))
        {
            return Results.Ok(); // Not a payment made by this portal.
        }

        var db = services.GetRequiredService<BillingDbContext>();
        var payment = await db.Payments.AsNoTracking().Where(p => p.IdempotencyKey == key)
            .Select(p => new { p.Id, p.Status, p.CreatedUtc, p.Amount, p.Currency })
            .SingleOrDefaultAsync(http.RequestAborted);
        if (payment is null)
        {
            logger.LogWarning("Stripe event {EventId} ({Type}) names payment {IdempotencyKey}, which is not recorded", stripeEvent.Id, stripeEvent.Type, key);
            return Results.Ok();
        }
        if (payment.Status != PaymentStatus.Pending)
        {
            if (succeeded && payment.Status == PaymentStatus.Failed)
            {
                // Money was taken for a payment recorded as failed (e.g. the answer to the charge was lost).
                logger.LogError("Stripe PaymentIntent {PaymentIntentId} succeeded for payment {PaymentId} ({IdempotencyKey}), which is recorded as failed: reconcile it (refund or apply it)",
                    intent.Id, payment.Id, key);
            }
            return Results.Ok();
        }
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        if (payment.CreatedUtc > now - PendingGrace)
        {
            return Results.Text("The payment is still being recorded; retry later.", statusCode: StatusCodes.Status409Conflict);
        }

        if (succeeded && (!string.Equals(intent.Currency, payment.Currency, StringComparison.OrdinalIgnoreCase)
            || intent.Amount != StripeGateway.ToMinorUnits(new Money(payment.Amount, payment.Currency))))
        {
            logger.LogError("Stripe PaymentIntent {PaymentIntentId} succeeded with {Amount} {Currency} (minor units) for payment {PaymentId}, recorded for another amount: not applied, reconcile it",
                intent.Id, intent.Amount, intent.Currency, payment.Id);
            return Results.Ok();
        }
        var result = succeeded
            ? GatewayResult.Paid(intent.Id)
            : GatewayResult.Declined(intent.LastPaymentError?.Message ?? "Your card was declined.");
        try
        {
            var completed = await services.GetRequiredService<PayInvoices>().CompletePendingAsync(key, result, http.RequestAborted);
            if (completed)
            {
                logger.LogInformation("Payment {PaymentId} ({IdempotencyKey}) completed from Stripe event {EventId}: {Type}", payment.Id, key, stripeEvent.Id, stripeEvent.Type);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another delivery of the same event recorded it at the same moment; Stripe's retry will find it done.
            return Results.Text("The payment changed meanwhile; retry later.", statusCode: StatusCodes.Status409Conflict);
        }
        return Results.Ok();
    }

    /// <summary>The body as text, or null when it is larger than <see cref="MaxBodyBytes"/> (read no further than that).</summary>
    private static async Task<string?> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
