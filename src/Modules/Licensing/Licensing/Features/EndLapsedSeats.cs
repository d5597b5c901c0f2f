using Microsoft.Extensions.Logging;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// Gives back the seats whose time is up: online leases of servers silent past the lease's time to live
/// (<see cref="SeatsEnded.TimedOut"/>, told to the server at its next heartbeat), seats of response files past their
/// validity, and borrows past their return date (both <see cref="SeatsEnded.Lapsed"/>). Each goes through the
/// <see cref="SeatLedger"/>'s claim, so a run that overlaps a heartbeat, a release or another run ends each once;
/// one that fails is logged and left for the next run, and the others go on.
/// </summary>
internal sealed class EndLapsedSeats(LicensingDbContext db, SeatLedger ledger, TimeProvider clock, ILogger<EndLapsedSeats> logger)
{
    /// <summary>Per kind and run; the job runs every minute, so a backlog drains over a few runs.</summary>
    public const int BatchSize = 500;

    public sealed record Result(int TimedOut, int FilesLapsed, int BorrowsLapsed, int Failed);

    public async Task<Result> HandleAsync(CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var online = await db.Leases.AsNoTracking().Where(l => l.EndedUtc == null && l.Mode == ActivationMode.Online && l.ExpiresUtc < now)
            .OrderBy(l => l.ExpiresUtc).Select(l => l.Id).Take(BatchSize).ToListAsync(cancellationToken);
        var files = await db.Leases.AsNoTracking().Where(l => l.EndedUtc == null && l.Mode == ActivationMode.OfflineFile && l.ExpiresUtc < now)
            .OrderBy(l => l.ExpiresUtc).Select(l => l.Id).Take(BatchSize).ToListAsync(cancellationToken);
        var borrows = await db.Borrows.AsNoTracking().Where(b => b.EndedUtc == null && b.ReturnByUtc < now)
            .OrderBy(b => b.ReturnByUtc).Select(b => b.Id).Take(BatchSize).ToListAsync(cancellationToken);

        var failed = 0;
        var timedOut = await EndEachAsync(online, "lease", id => ledger.EndLeaseAsync(id, SeatsEnded.TimedOut, cancellationToken), () => failed++, cancellationToken);
        var filesLapsed = await EndEachAsync(files, "file lease", id => ledger.EndLeaseAsync(id, SeatsEnded.Lapsed, cancellationToken), () => failed++, cancellationToken);
        var borrowsLapsed = await EndEachAsync(borrows, "borrow", id => ledger.EndBorrowAsync(id, SeatsEnded.Lapsed, cancellationToken), () => failed++, cancellationToken);
        if (timedOut + filesLapsed + borrowsLapsed + failed > 0)
        {
            logger.LogInformation("Lapsed seats: {TimedOut} online lease(s) timed out, {FilesLapsed} file lease(s) and {BorrowsLapsed} borrow(s) lapsed, {Failed} failed",
                timedOut, filesLapsed, borrowsLapsed, failed);
        }
        return new Result(timedOut, filesLapsed, borrowsLapsed, failed);
    }

    private async Task<int> EndEachAsync(IReadOnlyList<Guid> ids, string kind, Func<Guid, Task<bool>> end, Action failed, CancellationToken cancellationToken)
    {
        var ended = 0;
        foreach (var id in ids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (await end(id))
                {
                    ended++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One bad row must not keep every other seat taken: log it, clear what it left behind, go on.
                logger.LogError(e, "Could not end lapsed {Kind} {Id}; the next run tries again", kind, id);
                db.ChangeTracker.Clear();
                failed();
            }
        }
        return ended;
    }
}
