namespace ChaosModular.Modules.Infrastructure.Hosting;

/// <summary>The <c>Jobs</c> section.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Web also runs a Hangfire server (the one-command local run). Off when a Worker runs the jobs.</summary>
    public bool RunServerInWeb { get; set; }

    /// <summary>Whether this process creates the Hangfire schema. Exactly one process should (Web by default).</summary>
    public bool? PrepareSchema { get; set; }

    public int WorkerCount { get; set; } = 4;

    /// <summary>
    /// How many drain jobs a bulk run (renewals, automatic payments) enqueues besides draining itself, so every
    /// worker thread of every Worker process takes batches. None on SQLite (one writer, jobs in Web's memory).
    /// </summary>
    public int DrainJobs { get; set; } = 6;

    /// <summary>
    /// Test and benchmark switch: the Worker triggers these recurring jobs (ids, comma-separated) once as it starts,
    /// instead of waiting for their schedule.
    /// </summary>
    public string? TriggerOnStart { get; set; }

    /// <summary>
    /// How many open renewal orders or due invoices a drain (the renewal and automatic-payment runs) claims at once: each
    /// batch is one transaction per step, so a bigger batch makes fewer round trips and holds its rows longer.
    /// </summary>
    public int DrainBatchSize { get; set; } = 200;

    /// <summary>How many subscriptions the renewal run reads (and renewal orders it inserts) at once while placing orders.</summary>
    public int RenewalPageSize { get; set; } = 1000;

    /// <summary>How often scheduled jobs and retries are picked up.</summary>
    public int SchedulePollingSeconds { get; set; } = 5;
}

public enum HostRole
{
    Web,
    Worker,
}
