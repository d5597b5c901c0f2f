using System.Globalization;
using ChaosModular.Modules.Infrastructure.Telemetry;
using ChaosModular.Web.Telemetry;
using Hangfire;
using Hangfire.Storage.Monitoring;

namespace ChaosModular.Web.Features;

/// <summary>
/// The numbers behind Support › Metrics, read now: Web's requests of the last minutes (in process), job runs per
/// job type from Hangfire's storage (the Worker is another process, so its finished jobs are read where both
/// write them), and the backlogs (outbox lag, unsent emails) the modules count.
/// </summary>
internal sealed class SupportMetrics(RequestStatistics requests, JobStorage storage, PortalMetrics portal, TimeProvider clock)
{
    /// <summary>How far back the job table looks, and how many finished jobs of each outcome it reads at most.</summary>
    public static readonly TimeSpan JobWindow = TimeSpan.FromHours(24);
    public const int MaxJobsRead = 1000;

    public sealed record Result(DateTime AsOfUtc, RequestSummary Requests, JobTotals Jobs, IReadOnlyList<JobTypeRow> JobTypes, IReadOnlyList<BacklogRow> Backlogs);

    public sealed record JobTotals(long Enqueued, long Processing, long Scheduled, long Failed, long Succeeded);

    /// <summary>Finished runs of one job type within <see cref="JobWindow"/>; the average over the succeeded ones that report a duration.</summary>
    public sealed record JobTypeRow(string JobType, int Succeeded, int Failed, double? AverageMs);

    public sealed record BacklogRow(string Instrument, string Title, string Unit, double Value)
    {
        /// <summary>
        /// As the page shows it: a duration rounded to the second, in its largest units ("42s", "3m 05s", "26h 04m"), a count
        /// with thousands separators.
        /// </summary>
        public string Shown => Unit == "s" ? Duration(Value) : Value.ToString("#,0", CultureInfo.InvariantCulture);

        private static string Duration(double seconds)
        {
            var rounded = TimeSpan.FromSeconds(Math.Round(Math.Max(0, seconds)));
            return rounded.TotalHours >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{(long)rounded.TotalHours}h {rounded.Minutes:00}m")
                : rounded.TotalMinutes >= 1
                    ? string.Create(CultureInfo.InvariantCulture, $"{rounded.Minutes}m {rounded.Seconds:00}s")
                    : string.Create(CultureInfo.InvariantCulture, $"{rounded.Seconds}s");
        }
    }

    public async Task<Result> HandleAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now - JobWindow;
        var monitoring = storage.GetMonitoringApi();
        var statistics = monitoring.GetStatistics();
        var succeeded = monitoring.SucceededJobs(0, MaxJobsRead)
            .Select(j => j.Value)
            .Where(j => j is not null && (j.SucceededAt ?? DateTime.MinValue) >= since)
            .Select(j => (Type: JobTelemetryFilter.JobType(j.Job), j.TotalDuration))
            .ToList();
        var failed = monitoring.FailedJobs(0, MaxJobsRead)
            .Select(j => j.Value)
            .Where(j => j is not null && (j.FailedAt ?? DateTime.MinValue) >= since)
            .Select(j => JobTelemetryFilter.JobType(j.Job))
            .ToList();
        var types = succeeded.Select(s => s.Type).Concat(failed).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var rows = types.Select(type =>
        {
            var runs = succeeded.Where(s => s.Type == type).ToList();
            var durations = runs.Where(r => r.TotalDuration is not null).Select(r => (double)r.TotalDuration!.Value).ToList();
            return new JobTypeRow(type, runs.Count, failed.Count(f => f == type), durations.Count > 0 ? durations.Average() : null);
        }).ToList();

        var backlogs = new List<BacklogRow>();
        foreach (var backlog in portal.Backlogs)
        {
            var value = await backlog.ReadAsync(cancellationToken);
            backlogs.Add(new BacklogRow(backlog.Probe.Instrument, backlog.Probe.Title, backlog.Probe.Unit, value));
        }
        return new Result(
            now,
            requests.Summary(),
            new JobTotals(statistics.Enqueued, statistics.Processing, statistics.Scheduled, statistics.Failed, statistics.Succeeded),
            rows,
            backlogs);
    }
}
