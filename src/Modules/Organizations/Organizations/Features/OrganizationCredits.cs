using ChaosModular.CloudCredits.Contracts;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// Organization › Cloud credits: the pool (the active grants of the organization's account) and a page of its users'
/// allocations with their use. A fixed number of queries: the pool and its page from Cloud Credits, then the page's
/// memberships in one query.
/// </summary>
internal sealed class OrganizationCredits(OrganizationsDbContext db, OrganizationAdministrators administrators, ICloudCreditsApi credits)
{
    public const int PageSize = 25;

    /// <param name="MembershipId">Null when the user has left and Cloud Credits has not yet ended the allocation.</param>
    public sealed record Row(Guid? MembershipId, string Email, OrganizationRole? Role, UserCreditAllocation Allocation);

    public sealed record Result(AdministeredOrganization Organization, OrganizationCreditPool Pool, PagedResult<Row> Users)
    {
        /// <summary>The scale of the chart: the largest of the page's limits and uses, so bars compare users.</summary>
        public decimal ChartMax => Users.Items.Count == 0 ? 0m
            : Users.Items.Max(r => Math.Max(r.Allocation.Used, r.Allocation.Limit ?? r.Allocation.Used + Pool.Available));
    }

    /// <summary>Null when the account administers no organization.</summary>
    public async Task<Result?> HandleAsync(string accountId, int page, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(accountId, cancellationToken) is not { } organization)
        {
            return null;
        }
        var pool = await credits.PoolAsync(organization.Id, organization.AccountId, page, PageSize, cancellationToken);
        var ids = pool.Allocations.Items.Select(a => a.UserId).ToList();
        var members = await db.Memberships.AsNoTracking()
            .Where(m => m.OrganizationId == organization.Id && ids.Contains(m.AccountId))
            .ToDictionaryAsync(m => m.AccountId, StringComparer.Ordinal, cancellationToken);
        var rows = pool.Allocations.Items
            .Select(a => members.GetValueOrDefault(a.UserId) is { } m
                ? new Row(m.Id, m.Email, m.Role, a)
                : new Row(null, "(no longer in the organization)", null, a))
            .ToList();
        var paged = new PagedResult<Row>(rows, pool.Allocations.Page, pool.Allocations.PageSize, pool.Allocations.TotalCount);
        return new Result(organization, pool, paged);
    }
}
