namespace ChaosModular.Organizations.Features;

/// <summary>
/// One bulk invite of the administrator's organization, as its review and status pages show it: the counts per
/// review state and per result, and a page of its rows filtered by state or result. A fixed number of queries
/// whatever the number of rows; another organization's bulk invites are not found.
/// </summary>
internal sealed class ShowBulkInvite(OrganizationsDbContext db, OrganizationAdministrators administrators)
{
    public const int PageSize = 50;

    public sealed record Filter(InviteRowState? State, BulkInviteOutcome? Outcome, int Page);

    public sealed record Summary(
        Guid Id, string FileName, string UploadedByEmail, DateTime UploadedUtc, BulkInviteStatus Status, int RowCount,
        IReadOnlyDictionary<InviteRowState, int> States, IReadOnlyDictionary<BulkInviteOutcome, int> Outcomes,
        DateTime? SendStartedUtc, DateTime? FinishedUtc)
    {
        public int Count(InviteRowState state) => States.GetValueOrDefault(state);

        public int Count(BulkInviteOutcome outcome) => Outcomes.GetValueOrDefault(outcome);

        public int Ready => Count(InviteRowState.Ready);

        /// <summary>Rows the job has a result for.</summary>
        public int Processed => Outcomes.Values.Sum();

        public int PercentDone => RowCount == 0 ? 100 : (int)(Processed * 100L / RowCount);
    }

    public sealed record Row(int Line, string Email, string RoleText, OrganizationRole? Role, InviteRowState State, BulkInviteOutcome? Outcome)
    {
        /// <summary>A role is picked on the review page only where the email itself can be invited.</summary>
        public bool RoleCanChange => State != InviteRowState.InvalidEmail;
    }

    public sealed record View(AdministeredOrganization Organization, Summary Summary, PagedResult<Row> Rows);

    /// <summary>Null when the account administers no organization or the bulk invite is not its organization's.</summary>
    public async Task<View?> HandleAsync(string administratorId, Guid bulkInviteId, Filter filter, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization
            || await SummaryAsync(organization.Id, bulkInviteId, cancellationToken) is not { } summary)
        {
            return null;
        }
        var rows = db.BulkInviteRows.AsNoTracking().Where(r => r.BulkInviteId == bulkInviteId);
        if (filter.State is { } state)
        {
            rows = rows.Where(r => r.State == state);
        }
        if (filter.Outcome is { } outcome)
        {
            rows = rows.Where(r => r.Outcome == outcome);
        }
        var total = await rows.CountAsync(cancellationToken);
        var (page, size) = Paging.Normalize(filter.Page, PageSize);
        var items = await rows.OrderBy(r => r.Line).Skip((page - 1) * size).Take(size)
            .Select(r => new Row(r.Line, r.Email, r.RoleText, r.Role, r.State, r.Outcome))
            .ToListAsync(cancellationToken);
        return new View(organization, summary, new PagedResult<Row>(items, page, size, total));
    }

    public async Task<Summary?> SummaryAsync(Guid organizationId, Guid bulkInviteId, CancellationToken cancellationToken)
    {
        var bulk = await db.BulkInvites.AsNoTracking().SingleOrDefaultAsync(b => b.Id == bulkInviteId && b.OrganizationId == organizationId, cancellationToken);
        if (bulk is null)
        {
            return null;
        }
        var states = await db.BulkInviteRows.Where(r => r.BulkInviteId == bulkInviteId)
            .GroupBy(r => r.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var outcomes = await db.BulkInviteRows.Where(r => r.BulkInviteId == bulkInviteId && r.Outcome != null)
            .GroupBy(r => r.Outcome!.Value).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return new Summary(bulk.Id, bulk.FileName, bulk.UploadedByEmail, bulk.UploadedUtc, bulk.Status, bulk.RowCount,
            states.ToDictionary(s => s.Key, s => s.Count), outcomes.ToDictionary(o => o.Key, o => o.Count), bulk.SendStartedUtc, bulk.FinishedUtc);
    }
}
