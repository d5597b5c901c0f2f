
namespace ChaosModular.CloudCredits;

internal sealed class CloudCreditsApi(CustomerCredits credits) : ICloudCreditsApi
{
    public async Task<IReadOnlyList<CreditBalance>> BalancesAsync(string customerId, CancellationToken cancellationToken) =>
        (await credits.HandleAsync(customerId, cancellationToken)).Grants;
}
