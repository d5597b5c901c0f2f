namespace ChaosModular.Licensing.Domain;

/// <summary>Seats held from <see cref="StartUtc"/> until <see cref="EndUtc"/> (null: still held), by a license server's lease or a borrow.</summary>
internal readonly record struct HeldSeats(DateTime StartUtc, DateTime? EndUtc, int Seats)
{
    public bool HeldAt(DateTime utc) => StartUtc <= utc && (EndUtc is null || EndUtc > utc);
}

/// <summary>
/// Seats in use per day, derived from the leases and borrows Licensing keeps with their start and end times (no
/// separate history is recorded). A day's figure is its peak: the most seats held at once at any moment of that UTC
/// day, up to now for today. The peak can only rise when seats are taken, so it is the largest of the count at the
/// day's start and the counts just after each take within the day.
/// </summary>
internal static class SeatHistory
{
    public static IReadOnlyList<(DateOnly Day, int Seats)> PeakPerDay(IReadOnlyCollection<HeldSeats> held, DateOnly lastDay, int days, DateTime utcNow)
    {
        var result = new List<(DateOnly, int)>(days);
        for (var i = days - 1; i >= 0; i--)
        {
            var day = lastDay.AddDays(-i);
            var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var end = start.AddDays(1) < utcNow ? start.AddDays(1) : utcNow;
            if (start > utcNow)
            {
                result.Add((day, 0));
                continue;
            }
            var moments = held.Where(h => h.StartUtc > start && h.StartUtc < end).Select(h => h.StartUtc).Prepend(start);
            result.Add((day, moments.Max(t => held.Where(h => h.HeldAt(t)).Sum(h => h.Seats))));
        }
        return result;
    }
}
