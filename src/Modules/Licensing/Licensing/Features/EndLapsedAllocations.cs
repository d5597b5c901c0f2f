using Microsoft.Extensions.Logging;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// Ends allocations whose last day has passed (<see cref="AllocationEnded.Expired"/>), giving their seats back to the
/// organization's pool. Each goes through the <see cref="SeatLedger"/>'s claim, so an overlapping revoke or run ends it once.
/// </summary>
internal sealed class EndLapsedAllocations(LicensingDbContext db, SeatLedger ledger, TimeProvider clock, ILogger<EndLapsedAllocations> logger)
{
    public async Task<int> HandleAsync(CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var lapsed = await db.Allocations.AsNoTracking().Where(a => a.EndedUtc == null && a.ExpiresOn < today)
            .OrderBy(a => a.ExpiresOn).Select(a => a.Id).Take(EndLapsedSeats.BatchSize).ToListAsync(cancellationToken);
        var ended = 0;
        foreach (var id in lapsed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (await ledger.EndAllocationAsync(id, AllocationEnded.Expired, cancellationToken))
                {
                    ended++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Could not end lapsed allocation {Id}; the next run tries again", id);
                db.ChangeTracker.Clear();
            }
        }
        if (ended > 0)
        {
            logger.LogInformation("Lapsed allocations: {Ended} ended at their expiration date", ended);
        }
        return ended;
    }
}
