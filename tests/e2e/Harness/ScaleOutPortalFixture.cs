namespace ChaosModular.E2E.Harness;

/// <summary>
/// The portal as it runs behind a load balancer: two Web processes on the same database (the second neither migrates nor
/// seeds) and two Worker processes. The second Worker is started by the test, after its data is seeded, with the renewal
/// job triggered on start. Its own database and logs (scale-out-*.log).
/// </summary>
public sealed class ScaleOutPortalFixture : PortalFixture
{
    public ScaleOutPortalFixture()
        : this(Path.Combine(Repository.Artifacts, "scale-out-clock-offset-days.txt"))
    {
    }

    /// <summary>With a clock file as <see cref="RenewalsPortalFixture"/>'s, so subscriptions seeded for tomorrow fall due.</summary>
    private ScaleOutPortalFixture(string clockFile)
        : base("scale-out", new Dictionary<string, string> { ["Testing__ClockOffsetFile"] = clockFile })
    {
        ClockFile = clockFile;
        File.WriteAllText(ClockFile, "0");
    }

    public string ClockFile { get; }

    /// <summary>The portal's today (UTC), as every process sees it.</summary>
    public DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(OffsetDays);

    public int OffsetDays { get; private set; }

    /// <summary>Moves every process's clock to <paramref name="days"/> days after the real date.</summary>
    public void MoveClockTo(int days)
    {
        File.WriteAllText(ClockFile, days.ToString(System.Globalization.CultureInfo.InvariantCulture));
        OffsetDays = days;
    }

    public AppProcess SecondWeb { get; private set; } = null!;

    public Uri SecondBaseUrl { get; private set; } = null!;

    public AppProcess? SecondWorker { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SecondBaseUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var settings = new Dictionary<string, string>(WebSettings)
        {
            ["ASPNETCORE_URLS"] = SecondBaseUrl.ToString().TrimEnd('/'),
            ["Database__MigrateOnStartup"] = "false",
            ["Jobs__PrepareSchema"] = "false",
        };
        SecondWeb = AppProcess.Start("scale-out-web-b", Repository.WebDll, settings);
        await WaitUntilHealthyAsync(SecondWeb, SecondBaseUrl);
    }

    /// <summary>Starts the second Worker, which triggers the recurring jobs <paramref name="jobIds"/> once as it starts.</summary>
    public async Task<AppProcess> StartSecondWorkerAsync(params string[] jobIds)
    {
        SecondWorker = AppProcess.Start("scale-out-worker-b", Repository.WorkerDll, Settings(new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Database__MigrateOnStartup"] = "false",
            ["Jobs__TriggerOnStart"] = string.Join(',', jobIds),
        }));
        await WaitUntilWorkerServesJobsAsync(SecondWorker);
        return SecondWorker;
    }

    public override string ProcessLogs() =>
        base.ProcessLogs()
        + (SecondWeb is null ? "" : $"\n--- second web (full log {SecondWeb.LogFile}) ---\n{SecondWeb.Tail()}")
        + (SecondWorker is null ? "" : $"\n--- second worker (full log {SecondWorker.LogFile}) ---\n{SecondWorker.Tail()}");

    protected override void StopProcesses()
    {
        SecondWorker?.Dispose();
        SecondWeb?.Dispose();
        base.StopProcesses();
    }
}

[CollectionDefinition(Name)]
public sealed class ScaleOutPortalCollection : ICollectionFixture<ScaleOutPortalFixture>
{
    public const string Name = "Scale-out portal";
}
