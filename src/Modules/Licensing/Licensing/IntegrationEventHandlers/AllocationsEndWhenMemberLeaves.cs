using ChaosModular.Organizations.Contracts.Events;

namespace ChaosModular.Licensing.IntegrationEventHandlers;

/// <summary>
/// A member or guest left the organization: their allocations from its account end and the seats go back to the pool.
/// Each end is a claim on the allocation's row, so a redelivered event (or a revoke at the same moment) frees the seats once.
/// </summary>
internal sealed class AllocationsEndWhenMemberLeaves(LicensingDbContext db, SeatLedger ledger) : IIntegrationEventHandler<OrganizationMemberLeft>
{
    public async Task HandleAsync(OrganizationMemberLeft integrationEvent, CancellationToken cancellationToken)
    {
        var held = await db.Allocations.AsNoTracking()
            .Where(a => a.CustomerId == integrationEvent.OrganizationAccountId && a.OrganizationId == integrationEvent.OrganizationId
                && a.UserId == integrationEvent.AccountId && a.EndedUtc == null)
            .Select(a => a.Id).ToListAsync(cancellationToken);
        foreach (var id in held)
        {
            await ledger.EndAllocationAsync(id, AllocationEnded.MemberLeft, cancellationToken);
        }
    }
}
