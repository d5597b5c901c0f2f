using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// Deactivates one of the customer's license servers: the server is marked deactivated (its API secret forgotten) and
/// every seat it holds ends as <see cref="SeatsEnded.ServerDeactivated"/>, in one transaction, so the seats are free
/// for other servers at once. Another customer's server is not found.
/// </summary>
internal sealed class DeactivateServer(LicensingDbContext db, SeatLedger ledger, ICatalogApi catalog, TimeProvider clock)
{
    /// <summary>What the confirm step shows: the server and the seats that become free.</summary>
    public sealed record Confirmation(Guid Id, string Name, string Fingerprint, ActivationMode Mode, DateTime? DeactivatedUtc, IReadOnlyList<ListServers.HeldSeats> Seats)
    {
        public bool IsActive => DeactivatedUtc is null;
    }

    public enum Outcome
    {
        NotFound,
        Deactivated,
        AlreadyDeactivated,
    }

    public sealed record Result(Outcome Outcome, string? ServerName, int SeatsFreed);

    /// <summary>Null when the customer has no such server.</summary>
    public async Task<Confirmation?> ConfirmAsync(string customerId, Guid serverId, CancellationToken cancellationToken)
    {
        var server = await db.Servers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == serverId && s.CustomerId == customerId, cancellationToken);
        if (server is null)
        {
            return null;
        }
        var leases = await db.Leases.AsNoTracking().Where(l => l.ServerId == serverId && l.CustomerId == customerId && l.EndedUtc == null)
            .Join(db.Licenses, l => l.LicenseId, x => x.Id, (l, x) => new { l.LicenseId, x.ProductCode, l.Seats, l.ExpiresUtc, l.EndsAtExpiry })
            .ToListAsync(cancellationToken);
        var names = await ProductNames.OfAsync(catalog, leases.Select(l => l.ProductCode), cancellationToken);
        return new Confirmation(server.Id, server.Name, server.Fingerprint, server.Mode, server.DeactivatedUtc,
            [.. leases.GroupBy(l => (l.LicenseId, l.ProductCode))
                .Select(g => new ListServers.HeldSeats(g.Key.LicenseId, names[g.Key.ProductCode], g.Sum(l => l.Seats), g.Max(l => l.ExpiresUtc), g.Any(l => l.EndsAtExpiry)))
                .OrderBy(h => h.ProductName, StringComparer.Ordinal)]);
    }

    public Task<Result> HandleAsync(string customerId, Guid serverId, CancellationToken cancellationToken) =>
        ledger.InTransactionAsync(async ct =>
        {
            var server = await db.Servers.SingleOrDefaultAsync(s => s.Id == serverId && s.CustomerId == customerId, ct);
            if (server is null)
            {
                return new Result(Outcome.NotFound, null, 0);
            }
            if (!server.Deactivate(clock.UtcNow()))
            {
                return new Result(Outcome.AlreadyDeactivated, server.Name, 0);
            }
            await db.SaveChangesAsync(ct);
            var leases = await db.Leases.AsNoTracking().Where(l => l.ServerId == serverId && l.EndedUtc == null)
                .Select(l => new { l.Id, l.Seats }).ToListAsync(ct);
            var freed = 0;
            foreach (var lease in leases)
            {
                // A claim on each lease: a racing deactivation or lapse frees its seats once.
                if (await ledger.EndLeaseAsync(lease.Id, SeatsEnded.ServerDeactivated, ct))
                {
                    freed += lease.Seats;
                }
            }
            return new Result(Outcome.Deactivated, server.Name, freed);
        }, cancellationToken);
}
