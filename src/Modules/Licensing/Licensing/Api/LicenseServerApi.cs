using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using ChaosModular.Licensing.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using static ChaosModular.Licensing.Features.ActivateServerOnline;
using static ChaosModular.Licensing.Features.LeaseSeats;
using static ChaosModular.Licensing.Features.ListServerLicenses;
using static ChaosModular.Licensing.Features.ServerHeartbeat;

namespace ChaosModular.Licensing.Api;

/// <summary>
/// The online API for license servers, <c>/api/license-servers/v1</c> (docs/licensing-files-and-api.md): thin endpoints
/// over the features, JSON in and out, every error an RFC 9457 problem. Servers authenticate with the bearer secret
/// they got at activation, never with the portal's cookie; calls are rate limited per server (activation per address);
/// the OpenAPI document is <c>/openapi/license-servers-v1.json</c>.
/// </summary>
internal static class LicenseServerApi
{
    public const string Prefix = "/api/license-servers/v1";
    public const string DocumentName = "license-servers-v1";
    public const string ActivatePolicy = "license-servers-activate";
    public const string CallsPolicy = "license-servers-calls";
    public const string BearerScheme = "ServerSecret";

    public static IServiceCollection AddLicenseServerApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);   // the options are bound with the module's (LicensingOptions.Api)
        services.AddScoped<CreateActivationCode>();
        services.AddScoped<ActivateServerOnline>();
        services.AddScoped<AuthenticateServer>();
        services.AddScoped<ListServerLicenses>();
        services.AddScoped<LeaseSeats>();
        services.AddScoped<ServerHeartbeat>();
        services.AddScoped<ReleaseLease>();
        services.AddScoped<EndLapsedSeats>();
        services.AddScoped<LapseJob>();

        // Named policies only: adding to the options composes with any other module's; the global limiter and the
        // rejection settings stay as they are, and these policies answer their own rejections.
        services.AddRateLimiter(o =>
        {
            o.AddPolicy<string, ActivationRateLimit>(ActivatePolicy);
            o.AddPolicy<string, ServerCallsRateLimit>(CallsPolicy);
        });

        // The OpenAPI document's API explorer reads routing's endpoints. Web has routing anyway; the Worker composes this
        // module without mapping anything, and in Development (services validated at start) it would not start without it.
        services.AddRouting();
        services.AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = description => description.GroupName == DocumentName;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ChaosModular license servers",
                    Version = "1",
                    Description = "Activate a license server with a one-time code, then lease seats, send heartbeats and release seats. "
                        + "Every call but activate carries Authorization: Bearer <secret>. Errors are application/problem+json (RFC 9457).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The secret the server got from activate (lss_…).",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ServerSecretRequired>().Any())
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
                }
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static IEndpointRouteBuilder MapLicenseServerApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();

        // Anonymous as far as the portal's sign-in goes: a server proves itself with its secret (ServerSecretFilter).
        var api = endpoints.MapGroup(Prefix).WithGroupName(DocumentName).WithTags("License servers")
            .AllowAnonymous().DisableAntiforgery().AddEndpointFilter(ProblemOnFailure);

        api.MapPost("/activate", ActivateAsync).WithName("Activate")
            .WithSummary("Trade a one-time activation code for the server's secret")
            .RequireRateLimiting(ActivatePolicy)
            .Accepts<ActivateRequest>("application/json")
            .Produces<ActivateResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        var server = api.MapGroup("").RequireRateLimiting(CallsPolicy)
            .AddEndpointFilter(ServerSecretFilter).WithMetadata(new ServerSecretRequired())
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        server.MapGet("/licenses", ListLicensesAsync).WithName("ListLicenses")
            .WithSummary("The account's licenses a server can lease from, with their seats")
            .Produces<IReadOnlyList<ServerLicense>>();

        server.MapPost("/leases", LeaseAsync).WithName("LeaseSeats")
            .WithSummary("Take seats of a license (by licenseId) or of a product (by product)")
            .Accepts<LeaseRequest>("application/json")
            .Produces<ServerLease>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        server.MapPost("/heartbeat", HeartbeatAsync).WithName("Heartbeat")
            .WithSummary("Renew all the server's leases; hear which ended without asking")
            .Produces<HeartbeatResponse>();

        server.MapDelete("/leases/{leaseId:guid}", ReleaseAsync).WithName("ReleaseLease")
            .WithSummary("Give a lease's seats back")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        // Anything else under the prefix (an unknown path, a wrong method) is a problem too, not the portal's error page.
        api.Map("{**path}", () => Problem(StatusCodes.Status404NotFound, "Not found", "The license server API has no such call.")).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> ActivateAsync(HttpContext http, ActivateServerOnline activate)
    {
        var (request, problem) = await ReadJsonAsync<ActivateRequest>(http);
        return problem ?? Answer(await activate.HandleAsync(request!, http.RequestAborted), r => TypedResults.Created((string?)null, r));
    }

    private static async Task<IResult> ListLicensesAsync(HttpContext http, ListServerLicenses list) =>
        TypedResults.Ok(await list.HandleAsync(ServerOf(http), http.RequestAborted));

    private static async Task<IResult> LeaseAsync(HttpContext http, LeaseSeats lease)
    {
        var (request, problem) = await ReadJsonAsync<LeaseRequest>(http);
        return problem ?? Answer(await lease.HandleAsync(ServerOf(http), request!, http.RequestAborted), r => TypedResults.Created((string?)null, r));
    }

    private static async Task<IResult> HeartbeatAsync(HttpContext http, ServerHeartbeat heartbeat) =>
        TypedResults.Ok(await heartbeat.HandleAsync(ServerOf(http), http.RequestAborted));

    private static async Task<IResult> ReleaseAsync(Guid leaseId, HttpContext http, ReleaseLease release) =>
        await release.HandleAsync(ServerOf(http), leaseId, http.RequestAborted)
            ? TypedResults.NoContent()
            : Problem(StatusCodes.Status404NotFound, "Not found", $"This server holds no lease {leaseId}.");

    private static IResult Answer<T>(ServerCallOutcome<T> outcome, Func<T, IResult> done) => outcome.Refused switch
    {
        null => done(outcome.Value!),
        Refusal.Invalid => TypedResults.ValidationProblem(outcome.Errors ?? new Dictionary<string, string[]>(), outcome.Detail),
        Refusal.Forbidden => Problem(StatusCodes.Status403Forbidden, "Refused", outcome.Detail),
        Refusal.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", outcome.Detail),
        Refusal.Conflict => Problem(StatusCodes.Status409Conflict, outcome.Detail.StartsWith("No seats free", StringComparison.Ordinal) ? "No seats free" : "Not possible now", outcome.Detail),
        _ => throw new InvalidOperationException($"Unknown refusal {outcome.Refused}"),
    };

    /// <summary>An RFC 9457 problem; the framework fills the type of most statuses, not 429's (RFC 6585).</summary>
    internal static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail,
            type: status == StatusCodes.Status429TooManyRequests ? "https://tools.ietf.org/html/rfc6585#section-4" : null);

    /// <summary>
    /// Reads the body here rather than by parameter binding: a body that is not JSON then answers a 400 problem like
    /// every other error, where binding would answer a bare 400 (and the portal's status pages an HTML page).
    /// </summary>
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

    private const string ServerItem = "licensing.license-server";

    /// <summary>The server the call was authenticated as (<see cref="ServerSecretFilter"/> ran first).</summary>
    private static AuthenticatedServer ServerOf(HttpContext http) =>
        http.Items[ServerItem] as AuthenticatedServer ?? throw new InvalidOperationException("The call was not authenticated.");

    private static async ValueTask<object?> ServerSecretFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var authorization = http.Request.Headers.Authorization.ToString();
        var server = await http.RequestServices.GetRequiredService<AuthenticateServer>().HandleAsync(authorization, http.RequestAborted);
        if (server is null)
        {
            // RFC 6750: a missing secret gets the bare challenge, a wrong one says so.
            http.Response.Headers.WWWAuthenticate = string.IsNullOrEmpty(authorization) ? "Bearer" : "Bearer error=\"invalid_token\"";
            return Problem(StatusCodes.Status401Unauthorized, "Unauthorized",
                "Send the server's secret from activation as Authorization: Bearer <secret>. A wrong secret, or one of a server deactivated in the portal, is refused.");
        }
        http.Items[ServerItem] = server;
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
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LicenseServerApi))
                .LogError(e, "License server API call {Method} {Path} failed", context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return Problem(StatusCodes.Status500InternalServerError, "Internal error", "The portal could not complete the call; try again later.");
        }
    }

    /// <summary>Marks the calls that need the server's secret (the OpenAPI document names the scheme on them).</summary>
    private sealed class ServerSecretRequired;

    /// <summary>Over the limit: 429 problem with <c>Retry-After</c>, whatever the portal's default rejection is.</summary>
    internal static async ValueTask TooManyRequestsAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problem(StatusCodes.Status429TooManyRequests, "Too many requests", $"Too many calls; try again in {seconds} s.").ExecuteAsync(context.HttpContext);
    }

    internal static string AddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}

/// <summary><c>activate</c>: <c>Licensing:Api:ActivationsPerMinute</c> per remote address (it has no secret to count by).</summary>
internal sealed class ActivationRateLimit(IOptions<LicensingOptions> options) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => LicenseServerApi.TooManyRequestsAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetFixedWindowLimiter(LicenseServerApi.AddressOf(httpContext), _ => PerMinute(options.Value.Api.ActivationsPerMinute));

    internal static FixedWindowRateLimiterOptions PerMinute(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true };
}

/// <summary>
/// Every other call: <c>Licensing:Api:RequestsPerMinute</c> per server, named by the id part of its bearer secret (read
/// unchecked: a forged id only spends that partition), else per remote address.
/// </summary>
internal sealed class ServerCallsRateLimit(IOptions<LicensingOptions> options) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => LicenseServerApi.TooManyRequestsAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var server = ServerSecret.ServerIdOf(ServerSecret.FromAuthorization(httpContext.Request.Headers.Authorization.ToString()));
        var key = server is { } id ? $"server:{id:N}" : $"address:{LicenseServerApi.AddressOf(httpContext)}";
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => ActivationRateLimit.PerMinute(options.Value.Api.RequestsPerMinute));
    }
}
