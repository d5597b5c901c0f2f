using ChaosModular.Licensing.Contracts;
using ChaosModular.Modules.Infrastructure.Web;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// Organization › Products: the organization account's licenses (quantity, in use by its servers, borrowed, allocated,
/// free, expiry) and the allocations to users, 25 a page, each with its holder's email. A fixed number of queries:
/// the licenses, a page of allocations, and the holders' memberships.
/// </summary>
internal sealed class ShowProducts(OrganizationsDbContext db, OrganizationAdministrators administrators, ILicenseAllocationsApi allocations)
{
    public const int PageSize = 25;

    public sealed record Holder(AllocationSummary Allocation, string Email);

    public sealed record Result(AdministeredOrganization Organization, IReadOnlyList<OrganizationLicense> Licenses, PagedResult<Holder> Holders)
    {
        /// <summary>Allocated against total seats of each product the organization has an active license for (its licenses of a product added up).</summary>
        public BarChart AllocationChart()
        {
            var products = Licenses.Where(l => l.Active).GroupBy(l => l.ProductName, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new BarGroup(g.Key, [g.Sum(l => l.Allocated), g.Sum(l => l.Quantity)])).ToList();
            return new BarChart("allocation-chart", "Seats allocated versus seats per product",
                $"For each of {products.Count} product(s) with an active license: seats allocated to users next to the seats the licenses have; "
                    + $"{BarChart.Format(products.Sum(p => p.Values[0]))} of {BarChart.Format(products.Sum(p => p.Values[1]))} seats allocated in all.",
                "Product", ["Allocated", "Seats"], products);
        }
    }

    public async Task<Result?> HandleAsync(string administratorId, int page, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return null;
        }
        var licenses = await allocations.LicensesAsync(organization.AccountId, cancellationToken);
        var held = await allocations.AllocationsAsync(organization.AccountId, page, PageSize, cancellationToken);
        var emails = await UserAllocations.EmailsAsync(db, organization.Id, [.. held.Items.Select(a => a.UserId)], cancellationToken);
        return new Result(organization, licenses, new PagedResult<Holder>(
            [.. held.Items.Select(a => new Holder(a, emails.GetValueOrDefault(a.UserId, a.UserId)))], held.Page, held.PageSize, held.TotalCount));
    }
}
