using ChaosModular.Organizations.Contracts.Events;

namespace ChaosModular.CloudCredits.IntegrationEventHandlers;

/// <summary>A user removed from an organization stops drawing on its pool; what they did not use stays in the pool.</summary>
internal sealed class EndAllocationWhenMemberLeaves(ManageAllocations allocations) : IIntegrationEventHandler<OrganizationMemberLeft>
{
    public Task HandleAsync(OrganizationMemberLeft integrationEvent, CancellationToken cancellationToken) =>
        allocations.EndOnLeavingAsync(integrationEvent.OrganizationId, integrationEvent.AccountId, cancellationToken);
}
