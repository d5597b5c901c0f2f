using System.Diagnostics;
using Hangfire.Common;
using Hangfire.Server;

namespace ChaosModular.Modules.Infrastructure.Telemetry;

/// <summary>
/// Wraps every Hangfire job once: a span named after the job type, its duration and, when it throws, a failure.
/// Served through the host's own filter provider (not Hangfire's process-wide GlobalJobFilters), so each host
/// records into its own meter.
/// </summary>
public sealed class JobTelemetryFilter(PortalMetrics metrics) : IServerFilter, IJobFilterProvider
{
    private const string StartedKey = "chaosmodular.telemetry.started";
    private const string ActivityKey = "chaosmodular.telemetry.activity";

    /// <summary>Bounded: one value per job method, e.g. <c>EmailJobs.SendAsync</c>.</summary>
    public static string JobType(Job? job) => job is null ? "unknown" : $"{job.Type.Name}.{job.Method.Name}";

    public void OnPerforming(PerformingContext context)
    {
        var jobType = JobType(context.BackgroundJob.Job);
        var activity = PortalMetrics.ActivitySource.StartActivity($"job {jobType}", ActivityKind.Internal);
        activity?.SetTag(PortalMetrics.JobTypeTag, jobType);
        activity?.SetTag("job.id", context.BackgroundJob.Id);
        context.Items[ActivityKey] = activity;
        context.Items[StartedKey] = Stopwatch.GetTimestamp();
    }

    public void OnPerformed(PerformedContext context)
    {
        var failed = context.Exception is not null && !context.ExceptionHandled;
        if (context.Items.TryGetValue(StartedKey, out var started) && started is long timestamp)
        {
            metrics.RecordJob(JobType(context.BackgroundJob.Job), Stopwatch.GetElapsedTime(timestamp), failed);
        }
        if (context.Items.TryGetValue(ActivityKey, out var value) && value is Activity activity)
        {
            if (failed)
            {
                activity.SetStatus(ActivityStatusCode.Error, context.Exception!.GetType().Name);
            }
            activity.Dispose();
        }
    }

    public IEnumerable<JobFilter> GetFilters(Job job) => [new JobFilter(this, JobFilterScope.Global, order: null)];
}
