using System.Globalization;
using ChaosModular.Modules.Infrastructure.Web;

namespace ChaosModular.CloudCredits.Features;

/// <summary>
/// The credits a user spent in each of the last 12 calendar months (UTC), the current month last, from the debits the
/// services recorded for them whichever pool paid. A month without use is 0. One query, summed by month in the database.
/// </summary>
internal sealed class MonthlyConsumption(CloudCreditsDbContext db, TimeProvider clock)
{
    public const int Months = 12;

    public sealed record Month(DateOnly Start, decimal Credits);

    public async Task<IReadOnlyList<Month>> HandleAsync(string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var first = new DateOnly(now.Year, now.Month, 1).AddMonths(1 - Months);
        var from = first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var sums = await db.Debits.AsNoTracking()
            .Where(d => d.UserId == userId && d.AtUtc >= from)
            .GroupBy(d => new { d.AtUtc.Year, d.AtUtc.Month })
            .Select(g => new { g.Key.Year, g.Key.Month, Credits = g.Sum(d => d.Credits) })
            .ToListAsync(cancellationToken);
        var byMonth = sums.ToDictionary(s => (s.Year, s.Month), s => s.Credits);
        return Enumerable.Range(0, Months).Select(i => first.AddMonths(i))
            .Select(m => new Month(m, byMonth.GetValueOrDefault((m.Year, m.Month)))).ToList();
    }

    public static BarChart Chart(IReadOnlyList<Month> months) => new(
        "credits-chart",
        "Cloud credits used per month",
        $"Credits used in each of the last {months.Count} months, from {Label(months[0].Start)} to {Label(months[^1].Start)}; "
            + $"{BarChart.Format(months.Sum(m => m.Credits))} in all.",
        "Month",
        ["Credits used"],
        [.. months.Select(m => new BarGroup(Label(m.Start), [m.Credits], m.Start.ToString("MMM", CultureInfo.InvariantCulture)))]);

    private static string Label(DateOnly month) => month.ToString("MMM yyyy", CultureInfo.InvariantCulture);
}
