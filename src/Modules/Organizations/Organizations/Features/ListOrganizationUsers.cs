using ChaosModular.Accounts.Contracts;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// Organization › Users: everyone in the administrator's organization and every open invitation (pending or
/// expired), searched by email, filtered by role and status, 25 a page. Memberships and invitations are one
/// query (UNION ALL) so paging is done by the database; names come from Accounts in one call per page.
/// </summary>
internal sealed class ListOrganizationUsers(OrganizationsDbContext db, OrganizationAdministrators administrators, IAccountsApi accounts, TimeProvider clock,
    PageDataCache cache)
{
    public const int PageSize = 25;

    public sealed record Filter(string? Search, OrganizationRole? Role, UserStatus? Status, int Page);

    /// <summary>A membership (<see cref="MembershipId"/>) or an invitation (<see cref="InvitationId"/>).</summary>
    public sealed record Row(Guid? MembershipId, Guid? InvitationId, string Email, string? Name, OrganizationRole Role, UserStatus Status, DateTime SinceUtc, DateTime? ExpiresUtc)
    {
        public bool CanBeRemoved => MembershipId is not null && Role != OrganizationRole.Administrator;
    }

    public sealed record Result(AdministeredOrganization Organization, PagedResult<Row> Users);

    private const int MembershipKind = 0;
    private const int InvitationKind = 1;

    /// <summary>The shape both halves of the union share; every column is real on both sides.</summary>
    private sealed class Entry
    {
        public int Kind { get; init; }
        public Guid Id { get; init; }
        public string AccountId { get; init; } = "";
        public string Email { get; init; } = "";
        public OrganizationRole Role { get; init; }
        public DateTime SinceUtc { get; init; }
        public DateTime ExpiresUtc { get; init; }
    }

    /// <summary>Null when the account administers no organization. Kept while nothing it read changes (<see cref="PageDataCache"/>).</summary>
    public Task<Result?> HandleAsync(string accountId, Filter filter, CancellationToken cancellationToken) =>
        cache.GetOrReadAsync((typeof(ListOrganizationUsers), accountId, filter), c => ReadAsync(accountId, filter, c), cancellationToken);

    private async Task<Result?> ReadAsync(string accountId, Filter filter, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(accountId, cancellationToken) is not { } organization)
        {
            return null;
        }
        var now = clock.UtcNow();
        var search = filter.Search?.Trim();

        var memberships = db.Memberships.AsNoTracking().Where(m => m.OrganizationId == organization.Id);
        var invitations = db.Invitations.AsNoTracking().Where(i => i.OrganizationId == organization.Id && i.Status == InvitationStatus.Pending);
        if (!string.IsNullOrEmpty(search))
        {
            var lowered = search.ToLowerInvariant();
            // Translated to SQL lower(...) LIKE: the culture-aware overloads the analyzers ask for have no translation.
#pragma warning disable CA1304, CA1311, CA1862
            memberships = memberships.Where(m => m.Email.ToLower().Contains(lowered));
            invitations = invitations.Where(i => i.Email.ToLower().Contains(lowered));
#pragma warning restore CA1304, CA1311, CA1862
        }
        if (filter.Role is { } role)
        {
            memberships = memberships.Where(m => m.Role == role);
            invitations = invitations.Where(i => i.Role == role);
        }
        switch (filter.Status)
        {
            case UserStatus.Active:
                invitations = invitations.Where(_ => false);
                break;
            case UserStatus.Invited:
                memberships = memberships.Where(_ => false);
                invitations = invitations.Where(i => i.ExpiresUtc > now);
                break;
            case UserStatus.InvitationExpired:
                memberships = memberships.Where(_ => false);
                invitations = invitations.Where(i => i.ExpiresUtc <= now);
                break;
        }

        var total = await memberships.Select(m => m.Id).Concat(invitations.Select(i => i.Id)).CountAsync(cancellationToken);
        var (page, size) = Paging.Normalize(filter.Page, PageSize);
        // The page is among the first (page × size) rows of each half in its own order (email, id): each half is read
        // that far through its (organization, email, id) index, then the two are merged, instead of sorting the whole
        // organization on every request.
        var upTo = page * size;
        var entries = await memberships.OrderBy(m => m.Email).ThenBy(m => m.Id).Take(upTo)
            .Select(m => new Entry { Kind = MembershipKind, Id = m.Id, AccountId = m.AccountId, Email = m.Email, Role = m.Role, SinceUtc = m.JoinedUtc, ExpiresUtc = m.JoinedUtc })
            .Concat(invitations.OrderBy(i => i.Email).ThenBy(i => i.Id).Take(upTo)
                .Select(i => new Entry { Kind = InvitationKind, Id = i.Id, AccountId = i.AccountId, Email = i.Email, Role = i.Role, SinceUtc = i.SentUtc, ExpiresUtc = i.ExpiresUtc }))
            .OrderBy(e => e.Email).ThenBy(e => e.Kind).ThenBy(e => e.Id)
            .Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);

        var names = (await accounts.FindCustomersAsync([.. entries.Select(e => e.AccountId)], cancellationToken))
            .ToDictionary(c => c.UserId, c => c.Name, StringComparer.Ordinal);
        var rows = entries.Select(e => e.Kind == MembershipKind
                ? new Row(e.Id, null, e.Email, names.GetValueOrDefault(e.AccountId), e.Role, UserStatus.Active, e.SinceUtc, null)
                : new Row(null, e.Id, e.Email, names.GetValueOrDefault(e.AccountId), e.Role,
                    e.ExpiresUtc <= now ? UserStatus.InvitationExpired : UserStatus.Invited, e.SinceUtc, e.ExpiresUtc))
            .ToList();
        return new Result(organization, new PagedResult<Row>(rows, page, size, total));
    }
}
