using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// Licensing › License Servers: the account's active servers with the seats each holds and, for servers activated by
/// file, the latest response; the recently deactivated ones; and the seats borrowed for offline use. Six queries and
/// one catalog lookup per distinct product, however many servers, leases and borrows there are.
/// </summary>
internal sealed class ListServers(LicensingDbContext db, ICatalogApi catalog)
{
    /// <summary>How many deactivated servers the page lists (the newest).</summary>
    public const int DeactivatedShown = 20;

    /// <param name="EndsAtExpiry">The license lost seats: these end at <paramref name="UntilUtc"/> and are not renewed.</param>
    public sealed record HeldSeats(Guid LicenseId, string ProductName, int Seats, DateTime UntilUtc, bool EndsAtExpiry);

    public sealed record LatestResponse(Guid ActivationId, DateTime IssuedUtc, DateTime ValidUntilUtc);

    public sealed record ServerRow(Guid Id, string Name, string ServerKey, string Fingerprint, ActivationMode Mode, DateTime ActivatedUtc,
        DateTime? LastSeenUtc, DateTime? DeactivatedUtc, IReadOnlyList<HeldSeats> Seats, LatestResponse? Response)
    {
        public int TotalSeats => Seats.Sum(s => s.Seats);
    }

    public sealed record BorrowRow(Guid Id, Guid LicenseId, string ProductName, int Seats, string Machine, DateTime BorrowedUtc, DateTime ReturnByUtc, bool EndsAtExpiry);

    public sealed record Result(IReadOnlyList<ServerRow> Active, IReadOnlyList<ServerRow> Deactivated, IReadOnlyList<BorrowRow> Borrows)
    {
        public bool IsEmpty => Active.Count == 0 && Deactivated.Count == 0 && Borrows.Count == 0;
    }

    public async Task<Result> HandleAsync(string customerId, CancellationToken cancellationToken)
    {
        var active = await db.Servers.AsNoTracking().Where(s => s.CustomerId == customerId && s.DeactivatedUtc == null)
            .OrderBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(cancellationToken);
        var deactivated = await db.Servers.AsNoTracking().Where(s => s.CustomerId == customerId && s.DeactivatedUtc != null)
            .OrderByDescending(s => s.DeactivatedUtc).Take(DeactivatedShown).ToListAsync(cancellationToken);
        var leases = await db.Leases.AsNoTracking().Where(l => l.CustomerId == customerId && l.EndedUtc == null)
            .Select(l => new { l.ServerId, l.LicenseId, l.Seats, l.ExpiresUtc, l.EndsAtExpiry }).ToListAsync(cancellationToken);
        var borrows = await db.Borrows.AsNoTracking().Where(b => b.CustomerId == customerId && b.EndedUtc == null)
            .OrderBy(b => b.ReturnByUtc).ThenBy(b => b.Id)
            .Select(b => new { b.Id, b.LicenseId, b.Seats, b.Machine, b.BorrowedUtc, b.ReturnByUtc, b.EndsAtExpiry }).ToListAsync(cancellationToken);
        // Only the responses' dates: the signed files themselves are read when downloaded.
        var offline = active.Where(s => s.Mode == ActivationMode.OfflineFile).Select(s => s.Id).ToList();
        var responses = await db.FileActivations.AsNoTracking().Where(a => a.CustomerId == customerId && offline.Contains(a.ServerId))
            .Select(a => new { a.Id, a.ServerId, a.IssuedUtc, a.ValidUntilUtc }).ToListAsync(cancellationToken);
        var licenseIds = leases.Select(l => l.LicenseId).Concat(borrows.Select(b => b.LicenseId)).Distinct().ToList();
        var products = await db.Licenses.AsNoTracking().Where(l => l.CustomerId == customerId && licenseIds.Contains(l.Id))
            .ToDictionaryAsync(l => l.Id, l => l.ProductCode, cancellationToken);
        var names = await ProductNames.OfAsync(catalog, products.Values, cancellationToken);
        string NameOf(Guid licenseId) => products.TryGetValue(licenseId, out var code) ? names[code] : "–";

        var held = leases.ToLookup(l => l.ServerId);
        var latest = responses.GroupBy(r => r.ServerId).ToDictionary(g => g.Key, g => g.MaxBy(r => r.IssuedUtc)!);
        ServerRow Row(LicenseServer s) => new(s.Id, s.Name, s.ServerKey, s.Fingerprint, s.Mode, s.ActivatedUtc, s.LastSeenUtc, s.DeactivatedUtc,
            [.. held[s.Id].GroupBy(l => l.LicenseId)
                .Select(g => new HeldSeats(g.Key, NameOf(g.Key), g.Sum(l => l.Seats), g.Max(l => l.ExpiresUtc), g.Any(l => l.EndsAtExpiry)))
                .OrderBy(h => h.ProductName, StringComparer.Ordinal)],
            latest.TryGetValue(s.Id, out var r) ? new LatestResponse(r.Id, r.IssuedUtc, r.ValidUntilUtc) : null);

        return new Result(
            [.. active.Select(Row)],
            [.. deactivated.Select(Row)],
            [.. borrows.Select(b => new BorrowRow(b.Id, b.LicenseId, NameOf(b.LicenseId), b.Seats, b.Machine, b.BorrowedUtc, b.ReturnByUtc, b.EndsAtExpiry))]);
    }
}
