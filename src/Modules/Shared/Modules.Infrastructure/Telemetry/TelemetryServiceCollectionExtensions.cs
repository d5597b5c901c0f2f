using ChaosModular.Modules.Infrastructure.Hosting;
using Hangfire.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ChaosModular.Modules.Infrastructure.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The names of the OTLP exporters' options (<c>IOptionsMonitor&lt;OtlpExporterOptions&gt;.Get</c>).</summary>
    public const string TracesExporter = "traces";
    public const string MetricsExporter = "metrics";

    /// <summary>Adds a module's backlog number to the portal's meter and the Support metrics page.</summary>
    public static IServiceCollection AddBacklogProbe<TProbe>(this IServiceCollection services) where TProbe : class, IBacklogProbe
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBacklogProbe, TProbe>());
        return services;
    }

    /// <summary>
    /// The portal's instruments and, when <c>Telemetry:Otlp:Endpoint</c> is set, OpenTelemetry traces and metrics
    /// exported over OTLP: ASP.NET Core requests, outgoing HTTP, EF Core queries, the .NET runtime, and the
    /// <c>ChaosModular</c> meter and activity source (jobs, backlogs). The instrumentation is described here once
    /// for both hosts; with no endpoint no provider is built, so nothing listens and nothing is exported.
    /// A test adds its own exporter with <c>AddOpenTelemetry()</c>, which builds the providers over this description.
    /// </summary>
    public static IServiceCollection AddPortalTelemetry(this IServiceCollection services, IConfiguration configuration, HostRole role)
    {
        var section = configuration.GetSection(TelemetryOptions.Section);
        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        services.AddOptions<TelemetryOptions>().Bind(section);
        services.AddMetrics();
        services.AddBacklogProbe<OutboxLagProbe>();
        services.AddSingleton<PortalMetrics>();
        services.AddSingleton<JobTelemetryFilter>();

        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(PortalMetrics.MeterName)
            .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
            .AddHttpClientInstrumentation()
            .AddEntityFrameworkCoreInstrumentation());
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics
            .AddMeter(PortalMetrics.MeterName)
            // Creates the portal's instruments when the provider starts, so the gauges exist before any job runs.
            .AddInstrumentation(sp => sp.GetRequiredService<PortalMetrics>())
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            // EF Core's own meter: command durations are in the traces; this adds its query and save counters.
            .AddMeter("Microsoft.EntityFrameworkCore"));

        if (!options.Otlp.Enabled)
        {
            return services;
        }
        var endpoint = new Uri(options.Otlp.Endpoint!, UriKind.Absolute);
        var protocol = string.Equals(options.Otlp.Protocol, "HttpProtobuf", StringComparison.OrdinalIgnoreCase)
            ? OtlpExportProtocol.HttpProtobuf
            : OtlpExportProtocol.Grpc;
        void Exporter(OtlpExporterOptions o, string signalPath)
        {
            // With HTTP each signal has its own path under the collector's address; gRPC takes the address as is.
            o.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/{signalPath}", UriKind.Absolute)
                : endpoint;
            o.Protocol = protocol;
            o.Headers = options.Otlp.Headers;
        }
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService($"{options.ServiceName}.{role}", serviceInstanceId: Environment.MachineName))
            // Named options: unnamed, both signals would share one OtlpExporterOptions and one endpoint.
            .WithTracing(t => t.AddOtlpExporter(TracesExporter, o => Exporter(o, "v1/traces")))
            .WithMetrics(m => m.AddOtlpExporter(MetricsExporter, o => Exporter(o, "v1/metrics")));
        return services;
    }

    internal static IJobFilterProvider HostJobFilters(IServiceProvider services) =>
        new JobFilterProviderCollection(
            Hangfire.Common.JobFilterProviders.Providers,
            new Hosting.JobRetryFilters(services.GetServices<Hosting.JobRetrySchedule>()),
            services.GetRequiredService<JobTelemetryFilter>());
}
