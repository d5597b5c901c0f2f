using System.Globalization;
using ChaosModular.Accounts.Contracts;
using ChaosModular.Notifications.Contracts;
using ChaosModular.Organizations.Jobs;
using Hangfire;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// The background work of Send invites, safe to run twice, at once or after a crash:
/// <list type="number">
/// <item>rows not ready on the review page are marked not sent;</item>
/// <item>ready rows are taken in batches, checked again (the account still exists, is still in no organization, has no
/// open invitation) and each batch's invitations are saved in one transaction with the rows' results, written only
/// where a row had none (<see cref="BulkInviteRow.Outcome"/> is a concurrency token: a second run's batch fails whole);</item>
/// <item>then their emails are queued, the same as a single invite's but the batch's in one call, and the link tokens
/// kept meanwhile are cleared;
/// a run that stopped in between queues them again under the same source key, which Notifications sends once;</item>
/// <item>when no row is left the bulk invite is finished, audited, and its report emailed to the administrator.</item>
/// </list>
/// </summary>
internal sealed class RunBulkInvite(
    OrganizationsDbContext db, IAccountsApi accounts, InvitationEmails emails, INotificationsApi notifications,
    OrganizationAudit audit, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const int BatchSize = 200;

    /// <summary>A sending bulk invite quiet for this long has lost its job (a Worker that stopped with it queued in memory).</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMinutes(10);

    public async Task HandleAsync(Guid bulkInviteId, CancellationToken cancellationToken)
    {
        var bulk = await db.BulkInvites.AsNoTracking().SingleOrDefaultAsync(b => b.Id == bulkInviteId, cancellationToken);
        if (bulk is null || bulk.Status == BulkInviteStatus.Review)
        {
            return;
        }
        var organizationName = await db.Organizations.Where(o => o.Id == bulk.OrganizationId).Select(o => o.Name).SingleAsync(cancellationToken);
        if (bulk.Status == BulkInviteStatus.Sending)
        {
            await QueueUnsentEmailsAsync(bulk, organizationName, cancellationToken);
            var now = clock.UtcNow();
            await db.BulkInviteRows.Where(r => r.BulkInviteId == bulkInviteId && r.Outcome == null && r.State != InviteRowState.Ready)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Outcome, BulkInviteOutcome.Skipped).SetProperty(r => r.ProcessedUtc, now), cancellationToken);
            while (await InviteNextBatchAsync(bulk, organizationName, cancellationToken))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            await FinishAsync(bulk, cancellationToken);
        }
        await SendReportAsync(bulkInviteId, organizationName, cancellationToken);
    }

    /// <summary>Queues the job again for bulk invites that stopped without finishing (or without their report).</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var before = clock.UtcNow() - Quiet;
        var stalled = await db.BulkInvites.AsNoTracking()
            .Where(b => (b.Status == BulkInviteStatus.Sending && b.LastProgressUtc < before)
                || (b.Status == BulkInviteStatus.Finished && b.ReportQueuedUtc == null && b.FinishedUtc < before))
            .Select(b => b.Id).Take(100).ToListAsync(cancellationToken);
        foreach (var id in stalled)
        {
            jobs.Enqueue<BulkInviteJob>(j => j.RunAsync(id, CancellationToken.None));
        }
    }

    /// <returns>False when no row is left to send.</returns>
    private async Task<bool> InviteNextBatchAsync(BulkInvite bulk, string organizationName, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var batch = await db.BulkInviteRows.Where(r => r.BulkInviteId == bulk.Id && r.Outcome == null)
            .OrderBy(r => r.Line).Take(BatchSize).ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            return false;
        }
        var now = clock.UtcNow();
        var accountIds = batch.Where(r => r.AccountId is not null).Select(r => r.AccountId!).Distinct(StringComparer.Ordinal).ToList();
        var customers = (await accounts.FindCustomersAsync(accountIds, cancellationToken)).ToDictionary(c => c.UserId, StringComparer.Ordinal);
        var organizationOf = (await db.Memberships.AsNoTracking().Where(m => accountIds.Contains(m.AccountId))
                .Select(m => new { m.AccountId, m.OrganizationId }).ToListAsync(cancellationToken))
            .ToDictionary(m => m.AccountId, m => m.OrganizationId, StringComparer.Ordinal);
        var open = (await db.Invitations
                .Where(i => i.OrganizationId == bulk.OrganizationId && i.Status == InvitationStatus.Pending && accountIds.Contains(i.AccountId))
                .ToListAsync(cancellationToken))
            .ToLookup(i => i.AccountId, StringComparer.Ordinal);

        var created = new List<(Invitation Invitation, string Token, string Name)>();
        foreach (var row in batch)
        {
            if (row.State != InviteRowState.Ready || row.Role is not { } role || row.AccountId is not { } accountId)
            {
                row.NotInvited(BulkInviteOutcome.Skipped, now);
            }
            else if (!customers.TryGetValue(accountId, out var invitee))
            {
                row.NotInvited(BulkInviteOutcome.NotRegistered, now);
            }
            else if (organizationOf.TryGetValue(accountId, out var organizationId))
            {
                row.NotInvited(organizationId == bulk.OrganizationId ? BulkInviteOutcome.AlreadyMember : BulkInviteOutcome.InAnotherOrganization, now);
            }
            else if (open[accountId].Any(i => !i.IsExpiredAt(now)))
            {
                row.NotInvited(BulkInviteOutcome.AlreadyInvited, now);
            }
            else
            {
                // As a single invite does: an expired invitation gives way to the new one.
                foreach (var expired in open[accountId])
                {
                    expired.Cancel(now);
                }
                var (token, hash) = InvitationTokens.New();
                var invitation = Invitation.Send(bulk.OrganizationId, accountId, invitee.Email, role, bulk.UploadedBy, hash, now);
                db.Invitations.Add(invitation);
                row.Invited(invitation.Id, token, now);
                created.Add((invitation, token, invitee.Name));
            }
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another run took some of these rows first: none of this batch was saved; read what is left again.
            return true;
        }
        await emails.SendAsync(created.Select(c => (c.Invitation, c.Name, c.Token)), organizationName, cancellationToken);
        await ClearTokensAsync(bulk.Id, [.. created.Select(c => c.Invitation.Id)], cancellationToken);
        return true;
    }

    /// <summary>Invitations saved by a run that stopped before their emails were queued (or before it said so).</summary>
    private async Task QueueUnsentEmailsAsync(BulkInvite bulk, string organizationName, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pending = await db.BulkInviteRows.AsNoTracking()
                .Where(r => r.BulkInviteId == bulk.Id && r.PendingToken != null)
                .Join(db.Invitations, r => r.InvitationId, i => i.Id, (r, i) => new { Token = r.PendingToken!, Invitation = i })
                .Take(BatchSize).ToListAsync(cancellationToken);
            if (pending.Count == 0)
            {
                return;
            }
            var names = (await accounts.FindCustomersAsync([.. pending.Select(p => p.Invitation.AccountId)], cancellationToken))
                .ToDictionary(c => c.UserId, c => c.Name, StringComparer.Ordinal);
            await emails.SendAsync(
                pending.Select(p => (p.Invitation, names.GetValueOrDefault(p.Invitation.AccountId) ?? p.Invitation.Email, p.Token)), organizationName, cancellationToken);
            await ClearTokensAsync(bulk.Id, [.. pending.Select(p => p.Invitation.Id)], cancellationToken);
        }
    }

    private async Task ClearTokensAsync(Guid bulkInviteId, IReadOnlyCollection<Guid> invitationIds, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        if (invitationIds.Count > 0)
        {
            await db.BulkInviteRows.Where(r => r.BulkInviteId == bulkInviteId && r.InvitationId != null && invitationIds.Contains(r.InvitationId.Value))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.PendingToken, (string?)null), cancellationToken);
        }
        await db.BulkInvites.Where(b => b.Id == bulkInviteId)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.LastProgressUtc, now), cancellationToken);
    }

    /// <summary>Finished once, by whichever run sees no row left (nor an email left to queue); audited with its counts.</summary>
    private async Task FinishAsync(BulkInvite bulk, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var finished = await db.BulkInvites
            .Where(b => b.Id == bulk.Id && b.Status == BulkInviteStatus.Sending
                && !db.BulkInviteRows.Any(r => r.BulkInviteId == bulk.Id && (r.Outcome == null || r.PendingToken != null)))
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, BulkInviteStatus.Finished).SetProperty(b => b.FinishedUtc, now), cancellationToken);
        if (finished == 0)
        {
            return;
        }
        var counts = await CountsAsync(bulk.Id, cancellationToken);
        db.ChangeTracker.Clear();
        audit.Record(bulk.OrganizationId, AuditAction.BulkInviteFinished, [], after: counts.ToString(),
            actor: new AuditActor(bulk.UploadedBy, bulk.UploadedByEmail, IsSupport: false));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public sealed record Counts(int Rows, int Invited, int NotSent)
    {
        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"{Rows} rows: {Invited} invited, {NotSent} not sent");
    }

    private async Task<Counts> CountsAsync(Guid bulkInviteId, CancellationToken cancellationToken)
    {
        var rows = await db.BulkInviteRows.CountAsync(r => r.BulkInviteId == bulkInviteId, cancellationToken);
        var invited = await db.BulkInviteRows.CountAsync(r => r.BulkInviteId == bulkInviteId && r.Outcome == BulkInviteOutcome.Invited, cancellationToken);
        return new Counts(rows, invited, rows - invited);
    }

    private async Task SendReportAsync(Guid bulkInviteId, string organizationName, CancellationToken cancellationToken)
    {
        var bulk = await db.BulkInvites.AsNoTracking().SingleAsync(b => b.Id == bulkInviteId, cancellationToken);
        if (bulk.Status != BulkInviteStatus.Finished || bulk.ReportQueuedUtc is not null)
        {
            return;
        }
        var rows = await BulkInviteResults.RowsAsync(db, bulkInviteId, cancellationToken);
        var invited = rows.Count(r => r.Outcome == BulkInviteOutcome.Invited);
        var administrator = await accounts.FindCustomerAsync(bulk.UploadedBy, cancellationToken);
        await notifications.QueueEmailAsync(new OrganizationBulkInviteReportEmail(
            $"organization-bulk-invite-report:{bulk.Id:N}", administrator?.Email ?? bulk.UploadedByEmail, administrator?.Name ?? bulk.UploadedByEmail,
            organizationName, bulk.FileName, rows.Count, invited, rows.Count - invited, bulk.Id)
        {
            Attachments = [new EmailAttachment(BulkInviteResults.FileName(bulk), "text/csv", BulkInviteResults.Csv(rows))],
        }, cancellationToken);
        var now = clock.UtcNow();
        await db.BulkInvites.Where(b => b.Id == bulkInviteId).ExecuteUpdateAsync(s => s.SetProperty(b => b.ReportQueuedUtc, now), cancellationToken);
    }
}
