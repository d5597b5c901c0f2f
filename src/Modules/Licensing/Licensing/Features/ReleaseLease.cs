namespace ChaosModular.Licensing.Features;

/// <summary>
/// <c>DELETE /api/license-servers/v1/leases/{leaseId}</c>: the server gives seats back. Only its own leases; one that has
/// already ended (released before, timed out) is released all the same, so a retried call after a lost answer succeeds.
/// </summary>
internal sealed class ReleaseLease(LicensingDbContext db, SeatLedger ledger)
{
    /// <summary>False when the server has no such lease.</summary>
    public async Task<bool> HandleAsync(AuthenticatedServer server, Guid leaseId, CancellationToken cancellationToken)
    {
        if (!await db.Leases.AsNoTracking().AnyAsync(l => l.Id == leaseId && l.ServerId == server.Id, cancellationToken))
        {
            return false;
        }
        await ledger.EndLeaseAsync(leaseId, SeatsEnded.Released, cancellationToken);
        return true;
    }
}
