using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Modules.Infrastructure.Telemetry;

/// <summary>
/// The portal's own instruments on the <c>ChaosModular</c> meter: job durations and failures by job type, and
/// one observable gauge per registered <see cref="IBacklogProbe"/>. The meter comes from the host's
/// <see cref="IMeterFactory"/>, so two hosts in one process (the tests) never mix their numbers.
/// </summary>
public sealed class PortalMetrics : IDisposable
{
    public const string MeterName = "ChaosModular";
    public const string JobDurationInstrument = "chaosmodular.job.duration";
    public const string JobFailuresInstrument = "chaosmodular.job.failures";
    public const string JobTypeTag = "job.type";

    /// <summary>Spans around each Hangfire job; EF Core and HTTP client spans of the job nest under them.</summary>
    public static readonly ActivitySource ActivitySource = new(MeterName);

    private readonly Histogram<double> _jobDuration;
    private readonly Counter<long> _jobFailures;

    public PortalMetrics(IMeterFactory meters, IEnumerable<IBacklogProbe> probes, IServiceScopeFactory scopes, TimeProvider clock, ILogger<PortalMetrics> logger)
    {
        var meter = meters.Create(MeterName);
        _jobDuration = meter.CreateHistogram<double>(JobDurationInstrument, "s", "How long a background job ran, by job type (failed runs included).");
        _jobFailures = meter.CreateCounter<long>(JobFailuresInstrument, "{failure}", "Background job runs that threw, by job type (each retry counts).");
        Backlogs = probes.Select(p => new CachedBacklog(p, scopes, clock, logger)).ToList();
        foreach (var backlog in Backlogs)
        {
            meter.CreateObservableGauge(backlog.Probe.Instrument, backlog.Observe, backlog.Probe.Unit, backlog.Probe.Description);
        }
    }

    public IReadOnlyList<CachedBacklog> Backlogs { get; }

    public void Dispose()
    {
        foreach (var backlog in Backlogs)
        {
            backlog.Dispose();
        }
    }

    public void RecordJob(string jobType, TimeSpan duration, bool failed)
    {
        var tag = new KeyValuePair<string, object?>(JobTypeTag, jobType);
        _jobDuration.Record(duration.TotalSeconds, tag);
        if (failed)
        {
            _jobFailures.Add(1, tag);
        }
    }
}
