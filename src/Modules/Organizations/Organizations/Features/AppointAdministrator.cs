using ChaosModular.Modules.Infrastructure.Outbox;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// Support appoints another administrator: an account found by customer number or email that belongs to no
/// organization yet. The check reads first for a clear answer; the unique index on <see cref="Membership.AccountId"/>
/// is the final word when two requests race for the same account, and its refusal reads the same.
/// </summary>
internal sealed class AppointAdministrator(OrganizationsDbContext db, FindAccount find, OrganizationAudit audit, TimeProvider clock)
{
    public enum Outcome
    {
        Appointed,
        OrganizationNotFound,
        UnknownAccount,
        AlreadyInOrganization,
    }

    public sealed record Result(Outcome Outcome, string? Email = null);

    public async Task<Result> HandleAsync(Guid organizationId, string customerNumberOrEmail, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, cancellationToken);
        if (organization is null)
        {
            return new Result(Outcome.OrganizationNotFound);
        }
        if (await find.AccountAsync(customerNumberOrEmail, cancellationToken) is not { } account)
        {
            return new Result(Outcome.UnknownAccount);
        }
        if (await db.Memberships.AnyAsync(m => m.AccountId == account.UserId, cancellationToken))
        {
            return new Result(Outcome.AlreadyInOrganization, account.Email);
        }
        var now = clock.UtcNow();
        var administrator = Membership.Join(organization.Id, account.UserId, account.Email, OrganizationRole.Administrator, now);
        db.Memberships.Add(administrator);
        db.Publish(AdministratorAppointed.Event(organization.Id, organization.Name, administrator, account, now));
        audit.Record(organization.Id, AuditAction.AdministratorAppointed, [account.Email], after: nameof(OrganizationRole.Administrator));
        return await db.TryInsertOnceAsync(cancellationToken)
            ? new Result(Outcome.Appointed, account.Email)
            : new Result(Outcome.AlreadyInOrganization, account.Email);
    }
}
