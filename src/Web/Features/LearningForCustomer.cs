using ChaosModular.Catalog.Contracts;
using ChaosModular.Licensing.Contracts;
using Microsoft.Extensions.Options;

namespace ChaosModular.Web.Features;

/// <summary>
/// Learning: first the catalog's learning resources of the product families the customer owns (an active license of
/// their own, or seats their organization allocated to them), by family name, then the general resources configured
/// under <c>Learning:Links</c>. Two queries (licenses, allocations); the catalog answers from memory.
/// </summary>
internal sealed class LearningForCustomer(ILicensingApi licensing, ILicenseAllocationsApi allocations, ICatalogApi catalog, IOptions<PortalOptions> portal)
{
    public sealed record Result(IReadOnlyList<FamilyLearning> Owned, IReadOnlyList<LearningLink> General);

    public async Task<Result> HandleAsync(string customerId, CancellationToken cancellationToken)
    {
        var families = (await licensing.LicensesAsync(customerId, cancellationToken)).Where(l => l.Active).Select(l => l.FamilyCode).ToHashSet(StringComparer.Ordinal);
        foreach (var held in await allocations.HeldByAsync(customerId, cancellationToken))
        {
            if (await catalog.ProductAsync(held.ProductCode, cancellationToken) is { } product)
            {
                families.Add(product.FamilyCode);
            }
        }
        var owned = families.Count == 0 ? [] : await catalog.LearningAsync(families, cancellationToken);
        return new Result(owned, portal.Value.LearningLinks);
    }
}
