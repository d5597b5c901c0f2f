using ChaosModular.Accounts.Contracts;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Notifications.Contracts;
using ChaosModular.Organizations.Contracts.Events;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// An administrator removes one or several people from the organization: each removal is its own transaction
/// (the membership deleted, the event that has Licensing and Cloud Credits return their allocations, an audit line)
/// followed by an email to the removed user. Administrators are not removed here
/// (support appoints and removes them); ids of other organizations are ignored.
/// </summary>
internal sealed class RemoveUsers(OrganizationsDbContext db, OrganizationAdministrators administrators, OrganizationAudit audit, IAccountsApi accounts, INotificationsApi notifications, TimeProvider clock)
{
    /// <summary>As many as a removal file may name.</summary>
    public const int MaxAtOnce = RemovalCsv.MaxRows;

    public sealed record Person(Guid MembershipId, string Email, string? Name, OrganizationRole Role)
    {
        public bool IsAdministrator => Role == OrganizationRole.Administrator;
    }

    public sealed record Confirmation(AdministeredOrganization Organization, IReadOnlyList<Person> ToRemove, IReadOnlyList<Person> Administrators);

    public sealed record Result(IReadOnlyList<string> Removed, IReadOnlyList<string> AdministratorsKept);

    /// <summary>
    /// Who the ids name in the administrator's organization; null when the account administers none, or when ids
    /// were given and none of them is in its organization (another organization's people are not found).
    /// </summary>
    public async Task<Confirmation?> ConfirmAsync(string administratorId, IReadOnlyCollection<Guid> membershipIds, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return null;
        }
        var ids = membershipIds.Distinct().Take(MaxAtOnce).ToList();
        var memberships = await db.Memberships.AsNoTracking()
            .Where(m => m.OrganizationId == organization.Id && ids.Contains(m.Id))
            .OrderBy(m => m.Email)
            .ToListAsync(cancellationToken);
        var names = (await accounts.FindCustomersAsync([.. memberships.Select(m => m.AccountId)], cancellationToken))
            .ToDictionary(c => c.UserId, c => c.Name, StringComparer.Ordinal);
        if (ids.Count > 0 && memberships.Count == 0)
        {
            return null;
        }
        var people = memberships.Select(m => new Person(m.Id, m.Email, names.GetValueOrDefault(m.AccountId), m.Role)).ToList();
        return new Confirmation(organization, [.. people.Where(p => !p.IsAdministrator)], [.. people.Where(p => p.IsAdministrator)]);
    }

    /// <summary>Null when the account administers no organization, or none of the ids is in it.</summary>
    public async Task<Result?> HandleAsync(string administratorId, IReadOnlyCollection<Guid> membershipIds, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return null;
        }
        var requested = membershipIds.Distinct().Take(MaxAtOnce).ToList();
        if (requested.Count > 0 && !await db.Memberships.AnyAsync(m => m.OrganizationId == organization.Id && requested.Contains(m.Id), cancellationToken))
        {
            return null;
        }
        var removed = new List<string>();
        var kept = new List<string>();
        // The names for the emails, in one call for everyone named (not one per removal).
        var accountIds = await db.Memberships.AsNoTracking().Where(m => m.OrganizationId == organization.Id && requested.Contains(m.Id))
            .Select(m => m.AccountId).ToListAsync(cancellationToken);
        var names = (await accounts.FindCustomersAsync(accountIds, cancellationToken)).ToDictionary(c => c.UserId, c => c.Name, StringComparer.Ordinal);
        foreach (var id in requested)
        {
            db.ChangeTracker.Clear();
            var membership = await db.Memberships.SingleOrDefaultAsync(m => m.Id == id && m.OrganizationId == organization.Id, cancellationToken);
            if (membership is null)
            {
                continue;
            }
            if (membership.Role == OrganizationRole.Administrator)
            {
                kept.Add(membership.Email);
                continue;
            }
            var now = clock.UtcNow();
            db.Memberships.Remove(membership);
            db.Publish(new OrganizationMemberLeft(Guid.NewGuid(), now, organization.Id, organization.AccountId, membership.Id, membership.AccountId, membership.Email));
            audit.Record(organization.Id, AuditAction.UserRemoved, [membership.Email], before: membership.Role.ToString());
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Removed meanwhile by another administrator: nothing left to do, and they were told then.
                continue;
            }
            removed.Add(membership.Email);
            var name = names.GetValueOrDefault(membership.AccountId) ?? membership.Email;
            await notifications.QueueEmailAsync(new OrganizationRemovalEmail(
                $"organization-removal:{membership.Id:N}", membership.Email, name, organization.Name, now), cancellationToken);
        }
        return new Result(removed, kept);
    }
}
