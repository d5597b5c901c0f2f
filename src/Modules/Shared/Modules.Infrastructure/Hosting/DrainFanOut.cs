using System.Linq.Expressions;
using ChaosModular.Modules.Infrastructure.Persistence;
using Hangfire;
using Microsoft.Extensions.Options;

namespace ChaosModular.Modules.Infrastructure.Hosting;

/// <summary>
/// Spreads a bulk run over every Worker: the recurring job enqueues <see cref="JobsOptions.DrainJobs"/> copies of its
/// drain job, which any worker thread of any Worker process picks up, then drains itself too. Each drain claims
/// batches the others cannot take (see <see cref="Claims.ClaimsWithSkipLocked"/>) and stops when nothing is left.
/// </summary>
public sealed class DrainFanOut(IBackgroundJobClient jobs, IOptions<JobsOptions> options, IOptions<DatabaseOptions> database)
{
    /// <summary>How many drain jobs a run enqueues: none on SQLite, whose one writer would only queue them up.</summary>
    public int Count => database.Value.ParsedProvider == DatabaseProvider.Sqlite ? 0 : Math.Max(0, options.Value.DrainJobs);

    public void Enqueue<T>(Expression<Func<T, Task>> drain)
    {
        for (var i = 0; i < Count; i++)
        {
            jobs.Enqueue(drain);
        }
    }
}
