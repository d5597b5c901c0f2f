using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Licensing.Features;

/// <summary>A license's page: its numbers and where its seats are (the servers holding them, the machines borrowing them).</summary>
internal sealed class ShowLicense(LicensingDbContext db, ICatalogApi catalog)
{
    /// <param name="UntilUtc">Online: when the lease lapses without a heartbeat; by file: the response's valid-until.</param>
    /// <param name="EndsAtExpiry">The license lost seats: these end at <paramref name="UntilUtc"/> and are not renewed.</param>
    public sealed record ServerSeats(Guid ServerId, string ServerName, int Seats, ActivationMode Mode, DateTime UntilUtc, bool EndsAtExpiry);

    public sealed record BorrowedSeats(Guid BorrowId, string Machine, int Seats, DateTime BorrowedUtc, DateTime ReturnByUtc, bool EndsAtExpiry);

    public sealed record Result(License License, string ProductName, string FamilyName, IReadOnlyList<ServerSeats> Servers, IReadOnlyList<BorrowedSeats> Borrows);

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
        var product = await catalog.ProductAsync(license.ProductCode, cancellationToken);
        // A server may hold several leases of the license (online, one per request): one row per server, apart from seats ending at expiry.
        var servers = leases.GroupBy(l => (l.ServerId, l.Name, l.Mode, l.EndsAtExpiry))
            .Select(g => new ServerSeats(g.Key.ServerId, g.Key.Name, g.Sum(l => l.Seats), g.Key.Mode, g.Max(l => l.ExpiresUtc), g.Key.EndsAtExpiry))
            .OrderBy(s => s.ServerName, StringComparer.Ordinal).ThenBy(s => s.ServerId).ToList();
        return new Result(license, product?.Name ?? license.ProductCode, product?.FamilyName ?? license.FamilyCode, servers, borrows);
    }
}
