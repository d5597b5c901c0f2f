using ChaosModular.CloudCredits.Contracts;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// An administrator allocates the organization's credits to one user (the Users row menu) or the ticked ones: an
/// amount or unlimited (up to the pool), changes it, or revokes it. Only members and guests of the administrator's
/// organization receive credits; ids of other organizations and administrators are left out. Cloud Credits applies
/// the change to all of them or none; each change is then written to the audit log.
/// </summary>
internal sealed class AllocateCredits(OrganizationsDbContext db, OrganizationAdministrators administrators, OrganizationAudit audit, ICloudCreditsApi credits)
{
    public const int MaxAtOnce = 500;

    public sealed record Person(Guid MembershipId, string AccountId, string Email, OrganizationRole Role, UserCreditAllocation? Allocation);

    public sealed record Selection(AdministeredOrganization Organization, IReadOnlyList<Person> People, decimal PoolAvailable, DateOnly? PoolNextExpiry);

    public sealed record Result(string? Problem, IReadOnlyList<AllocationChange> Changes)
    {
        public bool Done => Problem is null;
    }

    /// <summary>
    /// The members and guests the ids name in the administrator's organization, with their allocations and the pool;
    /// null when the account administers none, or ids were given and none of them is a member or guest there.
    /// </summary>
    public async Task<Selection?> SelectAsync(string administratorId, IReadOnlyCollection<Guid> membershipIds, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return null;
        }
        var ids = membershipIds.Distinct().Take(MaxAtOnce).ToList();
        var memberships = await db.Memberships.AsNoTracking()
            .Where(m => m.OrganizationId == organization.Id && ids.Contains(m.Id) && m.Role != OrganizationRole.Administrator)
            .OrderBy(m => m.Email)
            .ToListAsync(cancellationToken);
        if (ids.Count > 0 && memberships.Count == 0)
        {
            return null;
        }
        var allocations = (await credits.AllocationsAsync(organization.Id, [.. memberships.Select(m => m.AccountId)], cancellationToken))
            .ToDictionary(a => a.UserId, StringComparer.Ordinal);
        var pool = await credits.PoolAsync(organization.Id, organization.AccountId, 1, 1, cancellationToken);
        return new Selection(organization,
            [.. memberships.Select(m => new Person(m.Id, m.AccountId, m.Email, m.Role, allocations.GetValueOrDefault(m.AccountId)))],
            pool.Available, pool.NextExpiry);
    }

    /// <summary>Null when the account administers no organization or none of the ids is a member or guest there.</summary>
    public async Task<Result?> AllocateAsync(string administratorId, IReadOnlyCollection<Guid> membershipIds, decimal? limit, CancellationToken cancellationToken)
    {
        if (await RecipientsAsync(administratorId, membershipIds, cancellationToken) is not { } found)
        {
            return null;
        }
        var (organization, recipients) = found;
        if (recipients.Count == 0)
        {
            return new Result("Choose at least one member or guest.", []);
        }
        var result = await credits.AllocateAsync(organization.Id, organization.AccountId, recipients, limit, cancellationToken);
        if (!result.Done)
        {
            return new Result(result.Problem, []);
        }
        foreach (var added in result.Changes.Where(c => !c.Before.Allocated).GroupBy(c => c.After.ToString()))
        {
            audit.Record(organization.Id, AuditAction.CreditsAllocated, [.. added.Select(c => c.Email)], after: added.Key);
        }
        foreach (var changed in result.Changes.Where(c => c.Before.Allocated && c.Changed).GroupBy(c => (Before: c.Before.ToString(), After: c.After.ToString())))
        {
            audit.Record(organization.Id, AuditAction.CreditAllocationChanged, [.. changed.Select(c => c.Email)], changed.Key.Before, changed.Key.After);
        }
        await db.SaveChangesAsync(cancellationToken);
        return new Result(null, result.Changes);
    }

    /// <summary>Null when the account administers no organization or none of the ids is a member or guest there.</summary>
    public async Task<Result?> RevokeAsync(string administratorId, IReadOnlyCollection<Guid> membershipIds, CancellationToken cancellationToken)
    {
        if (await RecipientsAsync(administratorId, membershipIds, cancellationToken) is not { } found)
        {
            return null;
        }
        var (organization, recipients) = found;
        var revoked = await credits.RevokeAsync(organization.Id, recipients, cancellationToken);
        foreach (var group in revoked.GroupBy(c => c.Before.ToString()))
        {
            audit.Record(organization.Id, AuditAction.CreditAllocationRevoked, [.. group.Select(c => c.Email)], before: group.Key, after: AllocationState.None.ToString());
        }
        await db.SaveChangesAsync(cancellationToken);
        return new Result(null, revoked);
    }

    private async Task<(AdministeredOrganization, List<CreditRecipient>)?> RecipientsAsync(string administratorId, IReadOnlyCollection<Guid> membershipIds, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return null;
        }
        var ids = membershipIds.Distinct().Take(MaxAtOnce).ToList();
        var recipients = await db.Memberships.AsNoTracking()
            .Where(m => m.OrganizationId == organization.Id && ids.Contains(m.Id) && m.Role != OrganizationRole.Administrator)
            .Select(m => new CreditRecipient(m.AccountId, m.Email))
            .ToListAsync(cancellationToken);
        return ids.Count > 0 && recipients.Count == 0 ? null : (organization, recipients);
    }
}
