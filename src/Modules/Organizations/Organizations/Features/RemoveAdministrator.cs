using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Organizations.Contracts.Events;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// Support removes an administrator from the organization (the account leaves it), never the last one. Two removals
/// racing for the last two administrators must not both succeed, so each first claims the organization's row (a write
/// that the other waits for until this transaction ends) and only then counts the administrators left.
/// </summary>
internal sealed class RemoveAdministrator(OrganizationsDbContext db, OrganizationAudit audit, AdministratorMemory memory, TimeProvider clock)
{
    public const string LastAdministrator = "An organization keeps at least one administrator.";

    public sealed record Confirmation(Guid OrganizationId, string OrganizationName, Guid MembershipId, string Email, int Administrators)
    {
        public bool IsLast => Administrators <= 1;
    }

    public enum Outcome
    {
        Removed,
        NotFound,
        LastAdministrator,
    }

    public sealed record Result(Outcome Outcome, string? Email = null);

    /// <summary>Null when the organization has no such administrator.</summary>
    public async Task<Confirmation?> ConfirmAsync(Guid organizationId, Guid membershipId, CancellationToken cancellationToken)
    {
        var administrator = await db.Memberships.AsNoTracking()
            .Where(m => m.Id == membershipId && m.OrganizationId == organizationId && m.Role == OrganizationRole.Administrator)
            .Join(db.Organizations, m => m.OrganizationId, o => o.Id, (m, o) => new { o.Name, m.Email })
            .SingleOrDefaultAsync(cancellationToken);
        if (administrator is null)
        {
            return null;
        }
        var count = await db.Memberships.CountAsync(m => m.OrganizationId == organizationId && m.Role == OrganizationRole.Administrator, cancellationToken);
        return new Confirmation(organizationId, administrator.Name, membershipId, administrator.Email, count);
    }

    public async Task<Result> HandleAsync(Guid organizationId, Guid membershipId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The claim: rewriting the name with itself locks the organization's row for this transaction, so a concurrent
        // removal in the same organization counts only after this one has committed (or rolled back).
        var claimed = await db.Organizations.Where(o => o.Id == organizationId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Name, o => o.Name), cancellationToken);
        if (claimed == 0)
        {
            return new Result(Outcome.NotFound);
        }
        var administrator = await db.Memberships.AsNoTracking()
            .SingleOrDefaultAsync(m => m.Id == membershipId && m.OrganizationId == organizationId && m.Role == OrganizationRole.Administrator, cancellationToken);
        if (administrator is null)
        {
            return new Result(Outcome.NotFound);
        }
        var administrators = await db.Memberships.CountAsync(m => m.OrganizationId == organizationId && m.Role == OrganizationRole.Administrator, cancellationToken);
        if (administrators <= 1)
        {
            return new Result(Outcome.LastAdministrator, administrator.Email);
        }
        await db.Memberships.Where(m => m.Id == membershipId).ExecuteDeleteAsync(cancellationToken);
        var accountId = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.AccountId).SingleAsync(cancellationToken);
        // Whatever the organization had allocated to this administrator goes back to it, as for any user who leaves.
        db.Publish(new OrganizationMemberLeft(Guid.NewGuid(), clock.UtcNow(), organizationId, accountId, administrator.Id, administrator.AccountId, administrator.Email));
        audit.Record(organizationId, AuditAction.AdministratorRemoved, [administrator.Email], before: nameof(OrganizationRole.Administrator));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        memory.Forget(administrator.AccountId);
        return new Result(Outcome.Removed, administrator.Email);
    }
}
