using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using static ChaosModular.CloudCredits.Features.AccountBalance;
using static ChaosModular.CloudCredits.Features.DebitCredits;

namespace ChaosModular.CloudCredits.Api;

/// <summary>
/// The consumption API for the rendering service, <c>/api/cloud-credits/v1</c>: spend a user's credits (once per request
/// id) and read what they can spend. A service proves itself with its key (<c>Authorization: Bearer &lt;key&gt;</c>,
/// <see cref="ServiceKeys"/>), never with the portal's cookie; calls are rate limited per service; every error is an
/// RFC 9457 problem; the OpenAPI document is <c>/openapi/cloud-credits-v1.json</c> (served by the portal's one
/// <c>/openapi/{documentName}.json</c> endpoint, which Licensing maps).
/// </summary>
internal static class ConsumptionApi
{
    public const string Prefix = CloudCreditsRoutes.Api;
    public const string DocumentName = "cloud-credits-v1";
    public const string CallsPolicy = "cloud-credits-calls";
    public const string KeyScheme = "ServiceKey";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const string InsufficientType = "urn:chaosmodular:cloud-credits:insufficient-credits";
    public const string RequestIdReusedType = "urn:chaosmodular:cloud-credits:request-id-reused";

    public static IServiceCollection AddConsumptionApi(this IServiceCollection services)
    {
        services.AddSingleton<ServiceKeys>();
        services.AddScoped<DebitCredits>();
        services.AddScoped<AccountBalance>();
        // A named policy only: it composes with the other modules' policies and answers its own rejections.
        services.AddRateLimiter(o => o.AddPolicy<string, ServiceCallsRateLimit>(CallsPolicy));
        services.AddRouting();
        services.AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = description => description.GroupName == DocumentName;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ChaosModular cloud credits",
                    Version = "1",
                    Description = "Spend a user's Chaos Cloud credits from their active pool (their own credits, or their organization's up to "
                        + "what it allocated to them) and read what they can spend. Every call carries Authorization: Bearer <service key>. "
                        + "A debit is done once per requestId: sending it again answers the first result (header Idempotent-Replayed: true). "
                        + "Errors are application/problem+json (RFC 9457).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[KeyScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The service's key; the portal keeps only its SHA-256 (CloudCredits:Services:<name>:KeyHash).",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(KeyScheme, document)] = [] }];
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static IEndpointRouteBuilder MapConsumptionApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix).WithGroupName(DocumentName).WithTags("Cloud credits")
            .AllowAnonymous().DisableAntiforgery()
            .AddEndpointFilter(ProblemOnFailure)
            .RequireRateLimiting(CallsPolicy)
            .AddEndpointFilter(ServiceKeyFilter)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapPost("/debits", DebitAsync).WithName("Debit")
            .WithSummary("Spend credits of a user's active pool, once per requestId")
            .Accepts<DebitRequest>("application/json")
            .Produces<DebitResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapGet("/balance", BalanceAsync).WithName("Balance")
            .WithSummary("What a user (id or email) can spend now, and from which pool")
            .Produces<BalanceResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        // Anything else under the prefix is a problem too, not the portal's error page.
        endpoints.MapGroup(Prefix).AllowAnonymous().DisableAntiforgery()
            .Map("{**path}", () => Problem(StatusCodes.Status404NotFound, "Not found", "The cloud credits API has no such call.")).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> DebitAsync(HttpContext http, DebitCredits debit)
    {
        var (request, problem) = await ReadJsonAsync<DebitRequest>(http);
        if (problem is not null)
        {
            return problem;
        }
        var outcome = await debit.HandleAsync(ServiceOf(http), request!, http.RequestAborted);
        if (outcome.Replayed)
        {
            http.Response.Headers[ReplayedHeader] = "true";
        }
        return Answer(outcome, r => TypedResults.Created((string?)null, r));
    }

    private static async Task<IResult> BalanceAsync(string? account, HttpContext http, AccountBalance balance) =>
        Answer(await balance.HandleAsync(account, http.RequestAborted), TypedResults.Ok);

    private static IResult Answer<T>(CreditCallOutcome<T> outcome, Func<T, IResult> done) => outcome.Refused switch
    {
        null => done(outcome.Value!),
        CreditRefusal.Invalid => TypedResults.ValidationProblem(outcome.Errors ?? new Dictionary<string, string[]>(), outcome.Detail),
        CreditRefusal.UnknownAccount => Problem(StatusCodes.Status404NotFound, "Unknown account", outcome.Detail),
        CreditRefusal.InsufficientCredits => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Insufficient credits", detail: outcome.Detail,
            type: InsufficientType, extensions: new Dictionary<string, object?> { ["available"] = outcome.Available ?? 0m }),
        CreditRefusal.RequestIdReused => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Request id already used", detail: outcome.Detail,
            type: RequestIdReusedType),
        _ => throw new InvalidOperationException($"Unknown refusal {outcome.Refused}"),
    };

    /// <summary>An RFC 9457 problem; the framework fills the type of most statuses, not 429's (RFC 6585).</summary>
    internal static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail,
            type: status == StatusCodes.Status429TooManyRequests ? "https://tools.ietf.org/html/rfc6585#section-4" : null);

    /// <summary>Reads the body here so a body that is not JSON answers a 400 problem like every other error.</summary>
    private static async Task<(T? Body, IResult? Problem)> ReadJsonAsync<T>(HttpContext http) where T : class
    {
        if (!http.Request.HasJsonContentType())
        {
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as JSON: Content-Type: application/json."));
        }
        try
        {
            var body = await http.Request.ReadFromJsonAsync<T>(http.RequestAborted);
            return body is null
                ? (null, Problem(StatusCodes.Status400BadRequest, "Invalid body", "The body must be a JSON object."))
                : (body, null);
        }
        catch (JsonException e)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "Invalid body", $"The body is not the JSON this call takes: {e.Message}"));
        }
    }

    private const string ServiceItem = "cloudcredits.service";

    private static string ServiceOf(HttpContext http) =>
        http.Items[ServiceItem] as string ?? throw new InvalidOperationException("The call was not authenticated.");

    private static async ValueTask<object?> ServiceKeyFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var authorization = http.Request.Headers.Authorization.ToString();
        var service = http.RequestServices.GetRequiredService<ServiceKeys>().Authenticate(ServiceKeys.FromAuthorization(authorization));
        if (service is null)
        {
            http.Response.Headers.WWWAuthenticate = string.IsNullOrEmpty(authorization) ? "Bearer" : "Bearer error=\"invalid_token\"";
            return Problem(StatusCodes.Status401Unauthorized, "Unauthorized",
                "Send the service's key as Authorization: Bearer <key>. A missing or unknown key is refused.");
        }
        http.Items[ServiceItem] = service;
        return await next(context);
    }

    /// <summary>An unexpected failure is a 500 problem (logged), not the portal's HTML error page.</summary>
    private static async ValueTask<object?> ProblemOnFailure(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (!context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsumptionApi))
                .LogError(e, "Cloud credits API call {Method} {Path} failed", context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return Problem(StatusCodes.Status500InternalServerError, "Internal error", "The portal could not complete the call; try again later.");
        }
    }

    /// <summary>Over the limit: 429 problem with <c>Retry-After</c>.</summary>
    internal static async ValueTask TooManyRequestsAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problem(StatusCodes.Status429TooManyRequests, "Too many requests", $"Too many calls; try again in {seconds} s.").ExecuteAsync(context.HttpContext);
    }
}

/// <summary>
/// <c>CloudCredits:Api:RequestsPerMinute</c> per service; calls whose key is not a service's are counted per remote
/// address, so guessing keys is limited too.
/// </summary>
internal sealed class ServiceCallsRateLimit(IOptions<CloudCreditsOptions> options, ServiceKeys keys) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => ConsumptionApi.TooManyRequestsAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var service = keys.Authenticate(ServiceKeys.FromAuthorization(httpContext.Request.Headers.Authorization.ToString()));
        var key = service is not null ? $"service:{service}" : $"address:{httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.Api.RequestsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
