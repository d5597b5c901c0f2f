using System.Globalization;

namespace ChaosModular.E2E.Harness;

/// <summary>
/// The portal with a clock the test can move: Web and Worker both run with
/// <c>Testing__ClockOffsetFile</c>, a file holding a number of days they add to the real time (read again whenever
/// the file changes). Moving the clock moves it for everything in this portal, which is why it has its own
/// database and processes (logs renewals-web.log and renewals-worker.log) and only the journeys that move it (the
/// renewal, and the prorated prices on a fixed day); each sets the day it needs first.
/// </summary>
public sealed class RenewalsPortalFixture : PortalFixture
{
    public RenewalsPortalFixture()
        : this(Path.Combine(Repository.Artifacts, "renewals-clock-offset-days.txt"))
    {
    }

    private RenewalsPortalFixture(string clockFile)
        : base("renewals", new Dictionary<string, string> { ["Testing__ClockOffsetFile"] = clockFile })
    {
        ClockFile = clockFile;
        // Every run starts on the real date, whatever the previous run left in the file.
        File.WriteAllText(ClockFile, "0");
    }

    public string ClockFile { get; }

    /// <summary>The portal's today (UTC), as Web and Worker see it.</summary>
    public DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(OffsetDays);

    public int OffsetDays { get; private set; }

    /// <summary>Moves the portal's clock to <paramref name="day"/> (UTC), keeping the real time of day.</summary>
    public void MoveClockToDate(DateOnly day) => MoveClockTo(day.DayNumber - DateOnly.FromDateTime(DateTime.UtcNow).DayNumber);

    /// <summary>Moves the portal's clock to <paramref name="days"/> days after the real date (0 puts it back).</summary>
    public void MoveClockTo(int days)
    {
        File.WriteAllText(ClockFile, days.ToString(CultureInfo.InvariantCulture));
        OffsetDays = days;
    }
}

[CollectionDefinition(Name)]
public sealed class RenewalsPortalCollection : ICollectionFixture<RenewalsPortalFixture>
{
    public const string Name = "Renewals portal";
}
