namespace ChaosModular.Organizations;

internal sealed class OrganizationsApi(OrganizationsDbContext db) : IOrganizationsApi
{
    public async Task<MembershipSummary?> MembershipAsync(string userId, CancellationToken cancellationToken) =>
        await db.Memberships.AsNoTracking().Where(m => m.AccountId == userId)
            .Join(db.Organizations, m => m.OrganizationId, o => o.Id, (m, o) => new MembershipSummary(o.Id, o.Name, m.Role, o.AccountId))
            .SingleOrDefaultAsync(cancellationToken);
}
