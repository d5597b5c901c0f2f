namespace ChaosModular.Organizations.Features;

/// <summary>Support › Organizations: every organization by name with its administrators and how many people belong to it, a page at a time.</summary>
internal sealed class ListOrganizations(OrganizationsDbContext db)
{
    public const int PageSize = 25;

    public sealed record Row(Guid Id, string Name, IReadOnlyList<string> Administrators, int MemberCount, DateTime CreatedUtc);

    public async Task<PagedResult<Row>> HandleAsync(int page, CancellationToken cancellationToken)
    {
        var (number, size) = Paging.Normalize(page, PageSize);
        var total = await db.Organizations.CountAsync(cancellationToken);
        var organizations = await db.Organizations.AsNoTracking().OrderBy(o => o.Name).ThenBy(o => o.Id)
            .Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        var ids = organizations.Select(o => o.Id).ToList();
        var memberships = await db.Memberships.AsNoTracking().Where(m => ids.Contains(m.OrganizationId))
            .Select(m => new { m.OrganizationId, m.Email, m.Role }).ToListAsync(cancellationToken);
        var rows = organizations.Select(o => new Row(o.Id, o.Name,
            [.. memberships.Where(m => m.OrganizationId == o.Id && m.Role == OrganizationRole.Administrator).Select(m => m.Email).Order(StringComparer.OrdinalIgnoreCase)],
            memberships.Count(m => m.OrganizationId == o.Id), o.CreatedUtc)).ToList();
        return new PagedResult<Row>(rows, number, size, total);
    }
}

/// <summary>Support's page of one organization: its administrators and how many members and guests it has.</summary>
internal sealed class ShowOrganization(OrganizationsDbContext db)
{
    public sealed record Administrator(Guid MembershipId, string AccountId, string Email, DateTime JoinedUtc);

    public sealed record Details(Guid Id, string Name, DateTime CreatedUtc, IReadOnlyList<Administrator> Administrators, int Members, int Guests);

    /// <summary>Null when there is no such organization.</summary>
    public async Task<Details?> HandleAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, cancellationToken);
        if (organization is null)
        {
            return null;
        }
        var memberships = await db.Memberships.AsNoTracking().Where(m => m.OrganizationId == organizationId).ToListAsync(cancellationToken);
        return new Details(organization.Id, organization.Name, organization.CreatedUtc,
            [.. memberships.Where(m => m.Role == OrganizationRole.Administrator).OrderBy(m => m.JoinedUtc).ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase)
                .Select(m => new Administrator(m.Id, m.AccountId, m.Email, m.JoinedUtc))],
            memberships.Count(m => m.Role == OrganizationRole.Member),
            memberships.Count(m => m.Role == OrganizationRole.Guest));
    }
}
