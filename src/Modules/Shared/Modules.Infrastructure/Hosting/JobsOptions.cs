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

    /// <summary>How often scheduled jobs and retries are picked up.</summary>
    public int SchedulePollingSeconds { get; set; } = 5;
}

public enum HostRole
{
    Web,
    Worker,
}
