namespace ChaosModular.Organizations.Features;

/// <summary>The organization the signed-in account administers, as the user pages see it.</summary>
/// <param name="AccountId">The customer account whose licenses and credits the organization allocates.</param>
internal sealed record AdministeredOrganization(Guid Id, string Name, string AccountId);

/// <summary>
/// Who may manage an organization's users: its administrators, read from the memberships on every request.
/// Everyone else (members, guests, other organizations' administrators, outsiders) finds nothing here, so
/// the pages answer 404 without relying on role claims, which only decide what the menu shows.
/// </summary>
internal sealed class OrganizationAdministrators(OrganizationsDbContext db)
{
    public Task<AdministeredOrganization?> FindAsync(string accountId, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(accountId)
            ? Task.FromResult<AdministeredOrganization?>(null)
            : db.Memberships.AsNoTracking()
                .Where(m => m.AccountId == accountId && m.Role == OrganizationRole.Administrator)
                .Join(db.Organizations, m => m.OrganizationId, o => o.Id, (m, o) => new AdministeredOrganization(o.Id, o.Name, o.AccountId))
                .SingleOrDefaultAsync(cancellationToken);
}
