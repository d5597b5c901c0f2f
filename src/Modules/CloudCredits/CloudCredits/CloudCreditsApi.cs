
namespace ChaosModular.CloudCredits;

internal sealed class CloudCreditsApi(CustomerCredits credits, ManageAllocations allocations) : ICloudCreditsApi
{
    public async Task<IReadOnlyList<CreditBalance>> BalancesAsync(string customerId, CancellationToken cancellationToken) =>
        (await credits.HandleAsync(customerId, cancellationToken)).Grants;

    public Task<OrganizationCreditPool> PoolAsync(Guid organizationId, string poolAccountId, int page, int pageSize, CancellationToken cancellationToken) =>
        allocations.PoolAsync(organizationId, poolAccountId, page, pageSize, cancellationToken);

    public Task<IReadOnlyList<UserCreditAllocation>> AllocationsAsync(Guid organizationId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken) =>
        allocations.AllocationsAsync(organizationId, userIds, cancellationToken);

    public Task<AllocationResult> AllocateAsync(Guid organizationId, string poolAccountId, IReadOnlyList<CreditRecipient> recipients, decimal? limit, CancellationToken cancellationToken) =>
        allocations.AllocateAsync(organizationId, poolAccountId, recipients, limit, cancellationToken);

    public Task<IReadOnlyList<AllocationChange>> RevokeAsync(Guid organizationId, IReadOnlyList<CreditRecipient> recipients, CancellationToken cancellationToken) =>
        allocations.RevokeAsync(organizationId, recipients, cancellationToken);
}
