using Hangfire;
using Hangfire.Common;

namespace ChaosModular.Modules.Infrastructure.Hosting;

/// <summary>
/// After which delays Hangfire retries the failed runs of one job class (one retry per delay), when the schedule comes
/// from configuration rather than an <see cref="AutomaticRetryAttribute"/>, whose values are fixed at compile time. A
/// module registers one as a singleton; the host's filter provider applies it.
/// </summary>
public sealed record JobRetrySchedule(Type JobType, IReadOnlyList<int> DelaysInSeconds);

/// <summary>
/// Serves each <see cref="JobRetrySchedule"/> as an <see cref="AutomaticRetryAttribute"/> at method scope for every method
/// of its job class. Hangfire keeps one filter per type that does not allow several, the last in (order, scope) order,
/// so this one replaces the process-wide default (global scope) for those jobs.
/// </summary>
internal sealed class JobRetryFilters : IJobFilterProvider
{
    private readonly Dictionary<Type, JobFilter> _filters;

    public JobRetryFilters(IEnumerable<JobRetrySchedule> schedules) =>
        _filters = schedules.ToDictionary(s => s.JobType, s => new JobFilter(
            new AutomaticRetryAttribute { Attempts = s.DelaysInSeconds.Count, DelaysInSeconds = [.. s.DelaysInSeconds] },
            JobFilterScope.Method, order: null));

    public IEnumerable<JobFilter> GetFilters(Job job) =>
        job is not null && _filters.TryGetValue(job.Type, out var filter) ? [filter] : [];
}
