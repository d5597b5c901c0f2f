namespace ChaosModular.Organizations.Features;

/// <summary>
/// On the review page the administrator picks Member or Guest for rows before sending. A row whose role was not
/// valid may become ready (or a duplicate of an earlier row of the same email): the rows of each changed email are
/// reviewed again together. Only while the bulk invite is under review.
/// </summary>
internal sealed class ChangeBulkInviteRoles(OrganizationsDbContext db, OrganizationAdministrators administrators)
{
    public enum Outcome
    {
        NotFound,
        Changed,
        AlreadySent,
    }

    public async Task<(Outcome Outcome, int Changed)> HandleAsync(string administratorId, Guid bulkInviteId, IReadOnlyDictionary<int, OrganizationRole> roles, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization
            || await db.BulkInvites.AsNoTracking().SingleOrDefaultAsync(b => b.Id == bulkInviteId && b.OrganizationId == organization.Id, cancellationToken) is not { } bulk)
        {
            return (Outcome.NotFound, 0);
        }
        if (bulk.Status != BulkInviteStatus.Review)
        {
            return (Outcome.AlreadySent, 0);
        }
        var wanted = roles.Where(r => r.Value != OrganizationRole.Administrator).ToDictionary(r => r.Key, r => r.Value);
        var lines = wanted.Keys.ToList();
        var changed = (await db.BulkInviteRows.Where(r => r.BulkInviteId == bulkInviteId && lines.Contains(r.Line)).ToListAsync(cancellationToken))
            .Where(r => r.State != InviteRowState.InvalidEmail && r.Role != wanted[r.Line])
            .ToList();
        if (changed.Count == 0)
        {
            return (Outcome.Changed, 0);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Holds the bulk invite's row until the commit, so Send invites (which claims it the same way) waits for the
        // roles to be saved, or the roles find it sent and change nothing.
        if (await db.BulkInvites.Where(b => b.Id == bulkInviteId && b.Status == BulkInviteStatus.Review)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.UploadedUtc, b => b.UploadedUtc), cancellationToken) == 0)
        {
            return (Outcome.AlreadySent, 0);
        }
        var keys = changed.Select(r => r.EmailKey).Distinct(StringComparer.Ordinal).ToList();
        // The namesakes are loaded into the same context: the changed rows are the same tracked instances.
        var namesakes = await db.BulkInviteRows.Where(r => r.BulkInviteId == bulkInviteId && keys.Contains(r.EmailKey)).ToListAsync(cancellationToken);
        foreach (var row in changed)
        {
            row.ChangeRole(wanted[row.Line]);
        }
        foreach (var group in namesakes.GroupBy(r => r.EmailKey, StringComparer.Ordinal))
        {
            BulkInviteRow.ReviewNamesakes([.. group]);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (Outcome.Changed, changed.Count);
    }
}
