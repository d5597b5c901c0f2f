using System.Globalization;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Modules.Infrastructure.Web;

namespace ChaosModular.Licensing.Features;

/// <summary>A license's page: its numbers and where its seats are (the servers holding them, the machines borrowing them).</summary>
internal sealed class ShowLicense(LicensingDbContext db, ICatalogApi catalog, TimeProvider clock)
{
    /// <summary>How many days the seats-in-use chart covers, today last.</summary>
    public const int HistoryDays = 30;

    /// <param name="UntilUtc">Online: when the lease lapses without a heartbeat; by file: the response's valid-until.</param>
    /// <param name="EndsAtExpiry">The license lost seats: these end at <paramref name="UntilUtc"/> and are not renewed.</param>
    public sealed record ServerSeats(Guid ServerId, string ServerName, int Seats, ActivationMode Mode, DateTime UntilUtc, bool EndsAtExpiry);

    public sealed record BorrowedSeats(Guid BorrowId, string Machine, int Seats, DateTime BorrowedUtc, DateTime ReturnByUtc, bool EndsAtExpiry);

    /// <param name="SeatsInUse">Each of the last <see cref="HistoryDays"/> days (UTC), today last: the most seats held by servers and borrowed at once.</param>
    public sealed record Result(License License, string ProductName, string FamilyName, IReadOnlyList<ServerSeats> Servers, IReadOnlyList<BorrowedSeats> Borrows,
        IReadOnlyList<(DateOnly Day, int Seats)> SeatsInUse)
    {
        public BarChart SeatsInUseChart() => new("seats-chart", $"Seats of {ProductName} in use over the last {SeatsInUse.Count} days",
            $"The most seats held by license servers and borrowed at once on each day (UTC) from {SeatsInUse[0].Day:yyyy-MM-dd} to {SeatsInUse[^1].Day:yyyy-MM-dd}, "
                + $"of {License.Quantity} seat(s); the highest was {SeatsInUse.Max(d => d.Seats)}.",
            "Day", ["Seats in use"],
            [.. SeatsInUse.Select(d => new BarGroup(d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), [d.Seats], d.Day.ToString("d MMM", CultureInfo.InvariantCulture)))],
            LabelEvery: 7);
    }

    /// <summary>Null when the customer has no such license (another customer's is not found either).</summary>
    public async Task<Result?> HandleAsync(string customerId, Guid licenseId, CancellationToken cancellationToken)
    {
        var license = await db.Licenses.AsNoTracking().SingleOrDefaultAsync(l => l.Id == licenseId && l.CustomerId == customerId, cancellationToken);
        if (license is null)
        {
            return null;
        }
        var leases = await db.Leases.AsNoTracking().Where(l => l.LicenseId == licenseId && l.CustomerId == customerId && l.EndedUtc == null)
            .Join(db.Servers, l => l.ServerId, s => s.Id, (l, s) => new { l.ServerId, s.Name, l.Seats, l.Mode, l.ExpiresUtc, l.EndsAtExpiry })
            .ToListAsync(cancellationToken);
        var borrows = await db.Borrows.AsNoTracking().Where(b => b.LicenseId == licenseId && b.CustomerId == customerId && b.EndedUtc == null)
            .OrderBy(b => b.ReturnByUtc).ThenBy(b => b.Id)
            .Select(b => new BorrowedSeats(b.Id, b.Machine, b.Seats, b.BorrowedUtc, b.ReturnByUtc, b.EndsAtExpiry))
            .ToListAsync(cancellationToken);
        var history = await HeldSinceAsync(customerId, licenseId, cancellationToken);
        var product = await catalog.ProductAsync(license.ProductCode, cancellationToken);
        // A server may hold several leases of the license (online, one per request): one row per server, apart from seats ending at expiry.
        var servers = leases.GroupBy(l => (l.ServerId, l.Name, l.Mode, l.EndsAtExpiry))
            .Select(g => new ServerSeats(g.Key.ServerId, g.Key.Name, g.Sum(l => l.Seats), g.Key.Mode, g.Max(l => l.ExpiresUtc), g.Key.EndsAtExpiry))
            .OrderBy(s => s.ServerName, StringComparer.Ordinal).ThenBy(s => s.ServerId).ToList();
        return new Result(license, product?.Name ?? license.ProductCode, product?.FamilyName ?? license.FamilyCode, servers, borrows, history);
    }

    /// <summary>The leases and borrows held at some time in the last <see cref="HistoryDays"/> days, in one query, as seats in use per day.</summary>
    private async Task<IReadOnlyList<(DateOnly Day, int Seats)>> HeldSinceAsync(string customerId, Guid licenseId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var from = today.AddDays(1 - HistoryDays).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var held = await db.Leases.AsNoTracking()
            .Where(l => l.LicenseId == licenseId && l.CustomerId == customerId && l.CreatedUtc <= now && (l.EndedUtc == null || l.EndedUtc > from))
            .Select(l => new { Start = l.CreatedUtc, End = l.EndedUtc, l.Seats })
            .Concat(db.Borrows.AsNoTracking()
                .Where(b => b.LicenseId == licenseId && b.CustomerId == customerId && b.BorrowedUtc <= now && (b.EndedUtc == null || b.EndedUtc > from))
                .Select(b => new { Start = b.BorrowedUtc, End = b.EndedUtc, b.Seats }))
            .ToListAsync(cancellationToken);
        return SeatHistory.PeakPerDay([.. held.Select(h => new HeldSeats(h.Start, h.End, h.Seats))], today, HistoryDays, now);
    }
}
