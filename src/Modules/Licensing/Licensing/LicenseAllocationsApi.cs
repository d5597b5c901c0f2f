using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Licensing;

internal sealed class LicenseAllocationsApi(LicensingDbContext db, AllocateSeats allocate, LicenseAllocations allocations, SeatLedger ledger, ICatalogApi catalog)
    : ILicenseAllocationsApi
{
    public async Task<IReadOnlyList<OrganizationLicense>> LicensesAsync(string organizationAccountId, CancellationToken cancellationToken)
    {
        var licenses = await db.Licenses.AsNoTracking().Where(l => l.CustomerId == organizationAccountId)
            .OrderBy(l => l.State).ThenBy(l => l.ProductCode).ThenBy(l => l.ExpiresOn).ThenBy(l => l.Id).ToListAsync(cancellationToken);
        var names = await ProductNames.OfAsync(catalog, licenses.Select(l => l.ProductCode), cancellationToken);
        return [.. licenses.Select(l => new OrganizationLicense(l.Id, l.ProductCode, names[l.ProductCode], l.LicenseType,
            l.Quantity, l.InUse, l.Borrowed, l.Allocated, l.Availability.Available, l.ExpiresOn, l.State == LicenseState.Active))];
    }

    public Task<AllocationOutcome> AllocateAsync(AllocationRequest request, CancellationToken cancellationToken) =>
        allocate.HandleAsync(request, cancellationToken);

    public async Task<AllocationRevocation> RevokeAsync(string organizationAccountId, Guid allocationId, CancellationToken cancellationToken)
    {
        var allocation = await db.Allocations.AsNoTracking().SingleOrDefaultAsync(a => a.Id == allocationId && a.CustomerId == organizationAccountId, cancellationToken);
        if (allocation is null)
        {
            return new AllocationRevocation(null, false);
        }
        var revoked = await ledger.EndAllocationAsync(allocation.Id, AllocationEnded.Revoked, cancellationToken);
        return new AllocationRevocation((await LicenseAllocations.SummariesAsync(db, catalog, [allocation], cancellationToken))[0], revoked);
    }

    public Task<IReadOnlyList<AllocationSummary>> AllocationsOfAsync(string organizationAccountId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken) =>
        allocations.OfUsersAsync(organizationAccountId, userIds, cancellationToken);

    public Task<PagedResult<AllocationSummary>> AllocationsAsync(string organizationAccountId, int page, int pageSize, CancellationToken cancellationToken) =>
        allocations.OfAccountAsync(organizationAccountId, page, pageSize, cancellationToken);

    public Task<IReadOnlyList<AllocationSummary>> HeldByAsync(string userId, CancellationToken cancellationToken) =>
        allocations.HeldByAsync(userId, cancellationToken);
}
