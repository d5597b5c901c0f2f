namespace ChaosModular.Organizations.Features;

/// <summary>The administrator's organization's bulk invites, newest first, 25 a page, each with its counts.</summary>
internal sealed class ListBulkInvites(OrganizationsDbContext db, OrganizationAdministrators administrators)
{
    public const int PageSize = 25;

    public sealed record Item(Guid Id, string FileName, string UploadedByEmail, DateTime UploadedUtc, BulkInviteStatus Status, int RowCount, int Invited, int Processed);

    public sealed record Result(AdministeredOrganization Organization, PagedResult<Item> BulkInvites);

    public async Task<Result?> HandleAsync(string administratorId, int page, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return null;
        }
        var all = db.BulkInvites.AsNoTracking().Where(b => b.OrganizationId == organization.Id);
        var total = await all.CountAsync(cancellationToken);
        var (number, size) = Paging.Normalize(page, PageSize);
        var items = await all.OrderByDescending(b => b.UploadedUtc).ThenBy(b => b.Id).Skip((number - 1) * size).Take(size)
            .Select(b => new Item(b.Id, b.FileName, b.UploadedByEmail, b.UploadedUtc, b.Status, b.RowCount,
                db.BulkInviteRows.Count(r => r.BulkInviteId == b.Id && r.Outcome == BulkInviteOutcome.Invited),
                db.BulkInviteRows.Count(r => r.BulkInviteId == b.Id && r.Outcome != null)))
            .ToListAsync(cancellationToken);
        return new Result(organization, new PagedResult<Item>(items, number, size, total));
    }
}
