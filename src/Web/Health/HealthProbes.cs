using System.Text.Json;
using ChaosModular.Accounts.Contracts;
using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChaosModular.Web.Health;

/// <summary>
/// Two probes for a load balancer or orchestrator:
/// <list type="bullet">
/// <item><c>/health/live</c>: the process answers (no checks; restart it when this fails).</item>
/// <item><c>/health/ready</c> (and <c>/health</c>): every module's database and the job storage answer (take the instance out of
/// the pool while this fails). The report is reused for <see cref="CacheFor"/>, so probes and a flood of anonymous requests
/// cost at most one round of checks every few seconds. Anyone sees the status word; Support also sees each check's result.</item>
/// </list>
/// </summary>
public static class HealthProbes
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddHealthProbes(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<JobStorageCheck>("job-storage");
        services.AddSingleton<ReadyProbe>();
        return services;
    }

    public static void MapHealthProbes(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health/live", () => Results.Text("Healthy")).AllowAnonymous();
        endpoints.MapGet("/health/ready", ReadyAsync).AllowAnonymous();
        endpoints.MapGet("/health", ReadyAsync).AllowAnonymous();
    }

    private static async Task<IResult> ReadyAsync(HttpContext context, ReadyProbe probe)
    {
        var report = await probe.ReportAsync(context.RequestAborted);
        var status = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.Headers.CacheControl = "no-store";
        if (!context.User.IsInRole(PortalRoles.Support))
        {
            return Results.Text(report.Status.ToString(), statusCode: status);
        }
        var detail = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                milliseconds = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                error = e.Value.Exception?.GetType().Name,
            }),
        };
        return Results.Json(detail, JsonSerializerOptions.Web, statusCode: status);
    }

    /// <summary>The last report, refreshed by one caller at a time once it is older than <see cref="CacheFor"/>.</summary>
    internal sealed class ReadyProbe(HealthCheckService checks, TimeProvider clock) : IDisposable
    {
        private readonly SemaphoreSlim _refresh = new(1, 1);
        private (HealthReport Report, DateTimeOffset At)? _last;

        public async Task<HealthReport> ReportAsync(CancellationToken cancellationToken)
        {
            if (Fresh() is { } cached)
            {
                return cached;
            }
            await _refresh.WaitAsync(cancellationToken);
            try
            {
                if (Fresh() is { } refreshed)
                {
                    return refreshed;
                }
                var report = await checks.CheckHealthAsync(cancellationToken);
                _last = (report, clock.GetUtcNow());
                return report;
            }
            finally
            {
                _refresh.Release();
            }
        }

        public void Dispose() => _refresh.Dispose();

        private HealthReport? Fresh() =>
            _last is { } last && clock.GetUtcNow() - last.At < CacheFor ? last.Report : null;
    }

    /// <summary>The job storage answers a small read (the recurring jobs' set), the same storage Web enqueues to.</summary>
    internal sealed class JobStorageCheck(JobStorage storage) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                using var connection = storage.GetConnection();
                connection.GetAllItemsFromSet("recurring-jobs");
                return Task.FromResult(HealthCheckResult.Healthy());
            }
            catch (Exception ex)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("The job storage does not answer.", ex));
            }
        }
    }
}
