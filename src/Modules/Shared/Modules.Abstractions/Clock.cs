namespace ChaosModular.Modules.Abstractions;

/// <summary>Calendar helpers over the injected <see cref="TimeProvider"/>, so tests that move the clock move them too.</summary>
public static class Clock
{
    /// <summary>Today's date in UTC, the calendar every subscription and invoice date is kept in.</summary>
    public static DateOnly Today(this TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Now in UTC as the <see cref="DateTime"/> (Kind=Utc) that the databases store.</summary>
    public static DateTime UtcNow(this TimeProvider clock) => clock.GetUtcNow().UtcDateTime;
}
