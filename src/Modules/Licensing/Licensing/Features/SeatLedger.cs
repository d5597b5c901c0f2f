namespace ChaosModular.Licensing.Features;

/// <summary>
/// Takes and gives back a license's seats; every lease, file activation and borrow goes through here.
/// <para>
/// A seat is taken by one conditional UPDATE that adds to the license's count only while
/// <c>in use + borrowed + allocated + the new seats ≤ quantity</c> (and the license is active and unexpired). The database
/// serialises racing updates of the row and re-checks the condition on the row the winner left, so fifty requests
/// for a five-seat license get exactly five seats whatever the timing: the claim pattern (<see cref="Claims"/>),
/// with the count as the token. The lease, borrow or allocation row is written in the same transaction as the count, so
/// they never disagree; ending one is a claim on its row (only the call that ends it gives the seats back).
/// </para>
/// </summary>
internal sealed class SeatLedger(LicensingDbContext db, TimeProvider clock)
{
    /// <summary>True when the seats were free and are now counted; false (nothing changed) when they were not.</summary>
    public async Task<bool> TryTakeAsync(Guid licenseId, int seats, SeatUse use, CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var free = db.Licenses.Where(l => l.Id == licenseId && l.State == LicenseState.Active && l.ExpiresOn >= today
            && l.InUse + l.Borrowed + l.Allocated + seats <= l.Quantity);
        var updated = use == SeatUse.Lease
            ? await free.ExecuteUpdateAsync(s => s.SetProperty(l => l.InUse, l => l.InUse + seats), cancellationToken)
            : await free.ExecuteUpdateAsync(s => s.SetProperty(l => l.Borrowed, l => l.Borrowed + seats), cancellationToken);
        return updated == 1;
    }

    /// <summary>
    /// Reserves seats for organization users (allocations, whose rows the caller writes in the same transaction): the
    /// same claim, which also needs the license to last until <paramref name="lastExpiresOn"/>, the latest of their days.
    /// </summary>
    public async Task<bool> TryAllocateAsync(Guid licenseId, int seats, DateOnly lastExpiresOn, CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var updated = await db.Licenses.Where(l => l.Id == licenseId && l.State == LicenseState.Active && l.ExpiresOn >= today && l.ExpiresOn >= lastExpiresOn
                && l.InUse + l.Borrowed + l.Allocated + seats <= l.Quantity)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Allocated, l => l.Allocated + seats), cancellationToken);
        return updated == 1;
    }

    /// <summary>Ends an active allocation for <paramref name="reason"/> and frees its seats; false when it had already ended.</summary>
    public Task<bool> EndAllocationAsync(Guid allocationId, AllocationEnded reason, CancellationToken cancellationToken) =>
        InTransactionAsync(async ct =>
        {
            var allocation = await db.Allocations.AsNoTracking().Where(a => a.Id == allocationId).Select(a => new { a.LicenseId, a.Seats }).SingleOrDefaultAsync(ct);
            if (allocation is null)
            {
                return false;
            }
            var now = clock.UtcNow();
            var ended = await db.Allocations.Where(a => a.Id == allocationId && a.EndedUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.EndedUtc, now).SetProperty(a => a.EndReason, reason), ct);
            if (ended == 1)
            {
                await db.Licenses.Where(l => l.Id == allocation.LicenseId)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.Allocated, l => l.Allocated - allocation.Seats), ct);
            }
            return ended == 1;
        }, cancellationToken);

    /// <summary>Ends an active lease for <paramref name="reason"/> and frees its seats; false when it had already ended.</summary>
    public Task<bool> EndLeaseAsync(Guid leaseId, SeatsEnded reason, CancellationToken cancellationToken) =>
        InTransactionAsync(async ct =>
        {
            var lease = await db.Leases.AsNoTracking().Where(l => l.Id == leaseId).Select(l => new { l.LicenseId, l.Seats, l.Mode }).SingleOrDefaultAsync(ct);
            if (lease is null)
            {
                return false;
            }
            // The server asked (released) or is gone (deactivated, replaced): nothing to tell it at a heartbeat.
            var tell = lease.Mode == ActivationMode.Online && reason is SeatsEnded.TimedOut or SeatsEnded.SeatsReduced or SeatsEnded.LicenseExpired;
            var now = clock.UtcNow();
            var ended = await db.Leases.Where(l => l.Id == leaseId && l.EndedUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.EndedUtc, now).SetProperty(l => l.EndReason, reason).SetProperty(l => l.ServerTold, !tell), ct);
            if (ended == 1)
            {
                await db.Licenses.Where(l => l.Id == lease.LicenseId)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.InUse, l => l.InUse - lease.Seats), ct);
            }
            return ended == 1;
        }, cancellationToken);

    /// <summary>Ends an active borrow (returned early, or past its date) and frees its seats; false when it had already ended.</summary>
    public Task<bool> EndBorrowAsync(Guid borrowId, SeatsEnded reason, CancellationToken cancellationToken) =>
        InTransactionAsync(async ct =>
        {
            var borrow = await db.Borrows.AsNoTracking().Where(b => b.Id == borrowId).Select(b => new { b.LicenseId, b.Seats }).SingleOrDefaultAsync(ct);
            if (borrow is null)
            {
                return false;
            }
            var now = clock.UtcNow();
            var ended = await db.Borrows.Where(b => b.Id == borrowId && b.EndedUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.EndedUtc, now).SetProperty(b => b.EndReason, reason), ct);
            if (ended == 1)
            {
                await db.Licenses.Where(l => l.Id == borrow.LicenseId)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.Borrowed, l => l.Borrowed - borrow.Seats), ct);
            }
            return ended == 1;
        }, cancellationToken);

    /// <summary>
    /// After a license lost seats or expired: ends online leases, newest first, then allocations, newest first, until what
    /// is taken fits the quantity (servers hear it at the next heartbeat). Seats in files a machine verifies offline (response files,
    /// borrows) cannot be taken back; while the license is still over its quantity they are marked to end at their
    /// date and not be renewed, and the pages say so. Returns how many leases ended.
    /// </summary>
    public async Task<int> TrimToQuantityAsync(Guid licenseId, CancellationToken cancellationToken)
    {
        var license = await Counts(licenseId, cancellationToken);
        if (license is null)
        {
            return 0;
        }
        if (license.Over <= 0)
        {
            // Seats came back (renewed, seats added): nothing has to end early any more.
            await db.Leases.Where(l => l.LicenseId == licenseId && l.EndedUtc == null && l.EndsAtExpiry)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.EndsAtExpiry, false), cancellationToken);
            await db.Borrows.Where(b => b.LicenseId == licenseId && b.EndedUtc == null && b.EndsAtExpiry)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.EndsAtExpiry, false), cancellationToken);
            return 0;
        }
        var ended = 0;
        var reason = license.Active ? SeatsEnded.SeatsReduced : SeatsEnded.LicenseExpired;
        var online = await db.Leases.AsNoTracking()
            .Where(l => l.LicenseId == licenseId && l.EndedUtc == null && l.Mode == ActivationMode.Online)
            .OrderByDescending(l => l.CreatedUtc).Select(l => l.Id).ToListAsync(cancellationToken);
        foreach (var leaseId in online)
        {
            if (license is null || license.Over <= 0)
            {
                break;
            }
            if (await EndLeaseAsync(leaseId, reason, cancellationToken))
            {
                ended++;
            }
            license = await Counts(licenseId, cancellationToken);
        }
        // Then allocations, newest first like leases: the users who got seats last lose them first.
        var allocationReason = license is { Active: true } ? AllocationEnded.SeatsReduced : AllocationEnded.LicenseExpired;
        var allocations = license is { Over: > 0 }
            ? await db.Allocations.AsNoTracking().Where(a => a.LicenseId == licenseId && a.EndedUtc == null)
                .OrderByDescending(a => a.CreatedUtc).ThenByDescending(a => a.Id).Select(a => a.Id).ToListAsync(cancellationToken)
            : [];
        foreach (var allocationId in allocations)
        {
            if (license is null || license.Over <= 0)
            {
                break;
            }
            await EndAllocationAsync(allocationId, allocationReason, cancellationToken);
            license = await Counts(licenseId, cancellationToken);
        }
        if (license is { Over: > 0 })
        {
            await MarkOfflineSeatsAsync(licenseId, license.Over, cancellationToken);
        }
        return ended;
    }

    private async Task MarkOfflineSeatsAsync(Guid licenseId, int over, CancellationToken cancellationToken)
    {
        var files = await db.Leases.AsNoTracking().Where(l => l.LicenseId == licenseId && l.EndedUtc == null && l.Mode == ActivationMode.OfflineFile && !l.EndsAtExpiry)
            .OrderByDescending(l => l.CreatedUtc).Select(l => new { l.Id, l.Seats }).ToListAsync(cancellationToken);
        foreach (var file in files.TakeWhile(_ => over > 0))
        {
            over -= file.Seats;
            await db.Leases.Where(l => l.Id == file.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.EndsAtExpiry, true), cancellationToken);
        }
        var borrows = await db.Borrows.AsNoTracking().Where(b => b.LicenseId == licenseId && b.EndedUtc == null && !b.EndsAtExpiry)
            .OrderByDescending(b => b.BorrowedUtc).Select(b => new { b.Id, b.Seats }).ToListAsync(cancellationToken);
        foreach (var borrow in borrows.TakeWhile(_ => over > 0))
        {
            over -= borrow.Seats;
            await db.Borrows.Where(b => b.Id == borrow.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.EndsAtExpiry, true), cancellationToken);
        }
    }

    private sealed record LicenseCounts(bool Active, int Over);

    private async Task<LicenseCounts?> Counts(Guid licenseId, CancellationToken cancellationToken) =>
        (await CountsOf([licenseId], cancellationToken)).GetValueOrDefault(licenseId);

    private async Task<Dictionary<Guid, LicenseCounts>> CountsOf(IReadOnlyCollection<Guid> licenseIds, CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var rows = await db.Licenses.AsNoTracking().Where(l => licenseIds.Contains(l.Id))
            .Select(l => new { l.Id, l.State, l.ExpiresOn, l.Quantity, l.InUse, l.Borrowed, l.Allocated }).ToListAsync(cancellationToken);
        return rows.ToDictionary(row => row.Id, row =>
        {
            var active = row.State == LicenseState.Active && row.ExpiresOn >= today;
            return new LicenseCounts(active, new Availability(active ? row.Quantity : 0, row.InUse, row.Borrowed, row.Allocated).OverAllocated);
        });
    }

    /// <summary>
    /// <see cref="TrimToQuantityAsync"/> for several licenses: the licenses within their quantity (a renewal run's, nearly all)
    /// are read and cleared of early ends together, the others trimmed one by one.
    /// </summary>
    public async Task TrimManyToQuantityAsync(IReadOnlyCollection<Guid> licenseIds, CancellationToken cancellationToken)
    {
        var counts = await CountsOf(licenseIds, cancellationToken);
        var within = counts.Where(c => c.Value.Over <= 0).Select(c => c.Key).ToList();
        if (within.Count > 0)
        {
            // Seats came back (renewed, seats added): nothing has to end early any more.
            await db.Leases.Where(l => within.Contains(l.LicenseId) && l.EndedUtc == null && l.EndsAtExpiry)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.EndsAtExpiry, false), cancellationToken);
            await db.Borrows.Where(b => within.Contains(b.LicenseId) && b.EndedUtc == null && b.EndsAtExpiry)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.EndsAtExpiry, false), cancellationToken);
        }
        foreach (var over in counts.Where(c => c.Value.Over > 0).Select(c => c.Key))
        {
            await TrimToQuantityAsync(over, cancellationToken);
        }
    }

    /// <summary>Runs in the caller's transaction when there is one (a file activation taking several licenses' seats at once).</summary>
    public async Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await work(cancellationToken);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await work(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}

internal enum SeatUse
{
    Lease,
    Borrow,
}
