using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// Allocates seats of an organization account's licenses to its users, all or nothing (<see cref="AllocationPlan"/>).
/// The plan is made from the seats free now; then, in one transaction, each license's share is claimed by the
/// <see cref="SeatLedger"/>'s conditional UPDATE and the allocation rows are written. When a racing request took
/// seats between the plan and the claim, the transaction is rolled back and the plan made again from what is left:
/// it either fits another license or tells the administrator what is missing.
/// </summary>
internal sealed class AllocateSeats(LicensingDbContext db, SeatLedger ledger, ICatalogApi catalog, TimeProvider clock)
{
    /// <summary>Lines in one request (a CSV file of this many rows, or this many users times products).</summary>
    public const int MaxLines = 5000;

    private const int Attempts = 3;

    public async Task<AllocationOutcome> HandleAsync(AllocationRequest request, CancellationToken cancellationToken)
    {
        if (request.Lines.Count > MaxLines)
        {
            return Refused($"At most {MaxLines} allocations at once: split the request.");
        }
        var wishes = request.Lines.Select(l => new AllocationWish(l.UserId, l.UserLabel, l.ProductCode, l.Seats, l.ExpiresOn)).ToList();
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var today = clock.Today();
            var plan = AllocationPlan.Make(wishes, await PoolAsync(request.OrganizationAccountId, today, cancellationToken), today);
            if (!plan.Fits)
            {
                return new AllocationOutcome([], plan.Problems,
                    [.. plan.Shortfalls.Select(s => new ProductShortfall(s.ProductCode, s.ProductName, s.Needed, s.Free, s.Message))]);
            }
            if (await TryApplyAsync(request, plan, cancellationToken) is { } allocated)
            {
                return new AllocationOutcome(allocated, [], []);
            }
            if (attempt == Attempts)
            {
                return Refused("Seats were being taken by others at the same moment: nothing was allocated. Try again.");
            }
        }
    }

    private async Task<IReadOnlyList<AllocationSummary>?> TryApplyAsync(AllocationRequest request, AllocationPlan plan, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (licenseId, seats, latest) in plan.PerLicense.OrderBy(p => p.LicenseId))
        {
            if (!await ledger.TryAllocateAsync(licenseId, seats, latest, cancellationToken))
            {
                await transaction.RollbackAsync(cancellationToken);
                return null;
            }
        }
        var now = clock.UtcNow();
        var allocations = plan.Assignments.Select(a => Allocation.Give(a.LicenseId, request.OrganizationAccountId, request.OrganizationId,
            a.Wish.UserId, a.Wish.Seats, a.Wish.ExpiresOn, request.RequestedBy, now)).ToList();
        db.Allocations.AddRange(allocations);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await LicenseAllocations.SummariesAsync(db, catalog, allocations, cancellationToken);
    }

    private async Task<List<PoolLicense>> PoolAsync(string accountId, DateOnly today, CancellationToken cancellationToken)
    {
        var licenses = await db.Licenses.AsNoTracking()
            .Where(l => l.CustomerId == accountId && l.State == LicenseState.Active && l.ExpiresOn >= today)
            .ToListAsync(cancellationToken);
        var names = await ProductNames.OfAsync(catalog, licenses.Select(l => l.ProductCode), cancellationToken);
        return [.. licenses.Select(l => new PoolLicense(l.Id, l.ProductCode, names[l.ProductCode], l.Availability.Available, l.ExpiresOn))];
    }

    private static AllocationOutcome Refused(string problem) => new([], [problem], []);
}
