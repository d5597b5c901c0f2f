using ChaosModular.Organizations.Jobs;
using Hangfire;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// Send invites: the bulk invite leaves review (claimed by a conditional update, so a double click starts one
/// sending), the audit log names the people to invite, and the job that sends the invitations is queued for the Worker.
/// </summary>
internal sealed class SendBulkInvite(OrganizationsDbContext db, OrganizationAdministrators administrators, OrganizationAudit audit, IBackgroundJobClient jobs, TimeProvider clock)
{
    public enum Outcome
    {
        NotFound,
        Started,
        NothingReady,
        AlreadySent,
    }

    public async Task<Outcome> HandleAsync(string administratorId, Guid bulkInviteId, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization
            || !await db.BulkInvites.AnyAsync(b => b.Id == bulkInviteId && b.OrganizationId == organization.Id, cancellationToken))
        {
            return Outcome.NotFound;
        }
        var now = clock.UtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.BulkInvites.Where(b => b.Id == bulkInviteId && b.Status == BulkInviteStatus.Review)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(b => b.Status, BulkInviteStatus.Sending)
                    .SetProperty(b => b.SendStartedUtc, now)
                    .SetProperty(b => b.LastProgressUtc, now), cancellationToken) == 0)
        {
            return Outcome.AlreadySent;
        }
        var ready = await db.BulkInviteRows.Where(r => r.BulkInviteId == bulkInviteId && r.State == InviteRowState.Ready)
            .OrderBy(r => r.Line).Select(r => r.Email).ToListAsync(cancellationToken);
        if (ready.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return Outcome.NothingReady;
        }
        audit.Record(organization.Id, AuditAction.BulkInviteStarted, ready);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // Queued after the commit: a job lost before it ran is queued again by the sweep, from the status kept here.
        jobs.Enqueue<BulkInviteJob>(j => j.RunAsync(bulkInviteId, CancellationToken.None));
        return Outcome.Started;
    }
}
