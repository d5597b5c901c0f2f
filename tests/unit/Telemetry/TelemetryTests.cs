using System.Diagnostics;
using System.Net;
using System.Reflection;
using ChaosModular.Modules.Infrastructure.Telemetry;
using Hangfire;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ChaosModular.UnitTests.Telemetry;

/// <summary>
/// The OpenTelemetry wiring both hosts share: with a test's in-memory exporter in place of OTLP, a request gives an
/// ASP.NET Core span and the Hangfire filter records job durations and failures; with no endpoint nothing is built.
/// </summary>
public sealed class TelemetryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_request_produces_an_asp_net_core_span_and_its_queries_ef_core_spans()
    {
        var spans = new List<Activity>();
        await using var factory = new SqlitePortalFactory();
        factory.TestServices = services => services.AddOpenTelemetry().WithTracing(t => t.AddInMemoryExporter(spans));
        var client = new PortalClient(factory.CreatePortalClient());

        var signUp = await client.SignUpAsync("Trace Tester", $"trace-{Guid.NewGuid():N}@example.test", "TraceTester2026");
        Assert.Equal(HttpStatusCode.Redirect, signUp.StatusCode);
        factory.Services.GetRequiredService<TracerProvider>().ForceFlush();

        Activity[] exported;
        lock (spans)
        {
            exported = [.. spans];
        }
        var request = Assert.Single(exported, a => a.Source.Name == "Microsoft.AspNetCore" && a.GetTagItem("http.request.method") as string == "POST"
            && a.GetTagItem("url.path") as string == "/sign-up");
        Assert.Equal(ActivityKind.Server, request.Kind);
        Assert.Contains(exported, a => a.Source.Name.Contains("EntityFrameworkCore", StringComparison.Ordinal) && a.TraceId == request.TraceId);
    }

    [Fact]
    public async Task The_job_filter_records_the_duration_and_the_failure_of_a_failing_job_by_job_type()
    {
        var metrics = new List<Metric>();
        await using var factory = new SqlitePortalFactory { DemoData = true };
        factory.TestServices = services => services.AddOpenTelemetry().WithMetrics(m => m.AddInMemoryExporter(metrics));
        var provider = factory.Services.GetRequiredService<MeterProvider>();

        factory.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(() => TelemetryTestJobs.Fail());
        var failures = await Eventually.Until(() => Task.FromResult(Sum(provider, metrics, PortalMetrics.JobFailuresInstrument, "TelemetryTestJobs.Fail")), Patience, "a recorded job failure");

        Assert.Equal(1, failures);
        Assert.Equal(1, Sum(provider, metrics, PortalMetrics.JobDurationInstrument, "TelemetryTestJobs.Fail"));

        // Support › Metrics reads the same run back from Hangfire's storage.
        var support = new PortalClient(factory.CreatePortalClient());
        await support.SignInAsync(factory.SupportEmail, factory.SupportPassword);
        var row = await Eventually.Until(async () =>
        {
            var page = PortalClient.Decode(await support.GetPageAsync("/support/metrics"));
            var start = page.IndexOf("data-job-type=\"TelemetryTestJobs.Fail\"", StringComparison.Ordinal);
            return start < 0 ? null : page[start..page.IndexOf("</tr>", start, StringComparison.Ordinal)];
        }, Patience, "the failed job on Support › Metrics");
        Assert.Matches(@"<td class=""text-end"">0</td>\s*<td class=""text-end"">1</td>", row);
    }

    [Fact]
    public void Without_an_otlp_endpoint_no_provider_or_exporter_is_built_in_web_or_worker()
    {
        string[] args = ["--Database:Provider=PostgreSql", "--ConnectionStrings:PostgreSql=Host=127.0.0.1;Database=unused", "--Jobs:RunServerInWeb=false"];
        foreach (var host in new[] { typeof(Program).Assembly, Assembly.Load("ChaosModular.Worker") })
        {
            var services = HostComposition.BuildServices(host, args);
            Assert.Null(services.GetService<TracerProvider>());
            Assert.Null(services.GetService<MeterProvider>());
        }
    }

    [Fact]
    public void With_an_otlp_endpoint_web_and_worker_build_providers_that_export_over_otlp()
    {
        string[] args = ["--Database:Provider=PostgreSql", "--ConnectionStrings:PostgreSql=Host=127.0.0.1;Database=unused", "--Jobs:RunServerInWeb=false",
            "--Telemetry:Otlp:Endpoint=http://127.0.0.1:4317"];
        foreach (var host in new[] { typeof(Program).Assembly, Assembly.Load("ChaosModular.Worker") })
        {
            var services = HostComposition.BuildServices(host, args);
            Assert.NotNull(services.GetService<TracerProvider>());
            Assert.NotNull(services.GetService<MeterProvider>());
            var exporters = services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<OpenTelemetry.Exporter.OtlpExporterOptions>>();
            Assert.Equal(new Uri("http://127.0.0.1:4317"), exporters.Get(TelemetryServiceCollectionExtensions.TracesExporter).Endpoint);
            Assert.Equal(new Uri("http://127.0.0.1:4317"), exporters.Get(TelemetryServiceCollectionExtensions.MetricsExporter).Endpoint);
        }
    }

    [Fact]
    public void Over_http_each_signal_is_sent_to_its_own_path_under_the_collector()
    {
        string[] args = ["--Database:Provider=PostgreSql", "--ConnectionStrings:PostgreSql=Host=127.0.0.1;Database=unused", "--Jobs:RunServerInWeb=false",
            "--Telemetry:Otlp:Endpoint=http://collector.example.test:4318/otlp", "--Telemetry:Otlp:Protocol=HttpProtobuf"];
        var exporters = HostComposition.BuildServices(typeof(Program).Assembly, args)
            .GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<OpenTelemetry.Exporter.OtlpExporterOptions>>();

        Assert.Equal(new Uri("http://collector.example.test:4318/otlp/v1/traces"), exporters.Get(TelemetryServiceCollectionExtensions.TracesExporter).Endpoint);
        Assert.Equal(new Uri("http://collector.example.test:4318/otlp/v1/metrics"), exporters.Get(TelemetryServiceCollectionExtensions.MetricsExporter).Endpoint);
        Assert.Equal(OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf, exporters.Get(TelemetryServiceCollectionExtensions.TracesExporter).Protocol);
    }

    /// <summary>The count of measurements (histogram) or the sum (counter) recorded for one job type, after a flush.</summary>
    private static long Sum(MeterProvider provider, List<Metric> metrics, string instrument, string jobType)
    {
        lock (metrics)
        {
            metrics.Clear();
        }
        provider.ForceFlush();
        long total = 0;
        lock (metrics)
        {
            foreach (var metric in metrics.Where(m => m.Name == instrument))
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var matches = false;
                    foreach (var tag in point.Tags)
                    {
                        matches |= tag.Key == PortalMetrics.JobTypeTag && tag.Value as string == jobType;
                    }
                    if (matches)
                    {
                        total += metric.MetricType == MetricType.Histogram ? point.GetHistogramCount() : point.GetSumLong();
                    }
                }
            }
        }
        return total;
    }
}

/// <summary>A job that always throws, with no retries, so one run is one failure.</summary>
public static class TelemetryTestJobs
{
    [AutomaticRetry(Attempts = 0)]
    public static void Fail() => throw new InvalidOperationException("This job fails on purpose.");
}
