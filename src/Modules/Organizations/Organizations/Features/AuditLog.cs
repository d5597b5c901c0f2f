using System.Globalization;
using CsvHelper;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// Organization › Audit log: what administrators and support did to the organization, newest first, filtered by
/// action, by a user's email (actor or subject) and by day; 50 a page; the same filters export as CSV.
/// </summary>
internal sealed class AuditLog(OrganizationsDbContext db, OrganizationAdministrators administrators)
{
    public const int PageSize = 50;

    /// <summary>An export stops here; a filter narrows a longer log.</summary>
    public const int MaxExportRows = 100_000;

    public sealed record Filter(AuditAction? Action, string? User, DateOnly? From, DateOnly? To, int Page);

    public sealed record Row(DateTime AtUtc, string ActorEmail, bool ActorIsSupport, AuditAction Action, string Subjects, int SubjectCount, string? Before, string? After);

    public sealed record Result(AdministeredOrganization Organization, PagedResult<Row> Entries);

    public sealed record Export(string FileName, byte[] Content);

    /// <summary>Null when the account administers no organization.</summary>
    public async Task<Result?> HandleAsync(string accountId, Filter filter, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(accountId, cancellationToken) is not { } organization)
        {
            return null;
        }
        var query = Query(organization.Id, filter);
        var total = await query.CountAsync(cancellationToken);
        // Past the last page (or a number too large to skip to) shows the last page.
        var page = Math.Clamp(filter.Page, 1, Math.Max(1, (total + PageSize - 1) / PageSize));
        var rows = await Rows(query).Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return new Result(organization, new PagedResult<Row>(rows, page, PageSize, total));
    }

    /// <summary>The filtered log as CSV (UTF-8 with BOM so spreadsheets read it); null when the account administers no organization.</summary>
    public async Task<Export?> ExportAsync(string accountId, Filter filter, DateTime utcNow, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(accountId, cancellationToken) is not { } organization)
        {
            return null;
        }
        var rows = await Rows(Query(organization.Id, filter)).Take(MaxExportRows).ToListAsync(cancellationToken);
        using var buffer = new MemoryStream();
        await using (var writer = new StreamWriter(buffer, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        await using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var header in new[] { "time_utc", "actor", "actor_role", "action", "users", "user_count", "before", "after" })
            {
                csv.WriteField(header);
            }
            await csv.NextRecordAsync();
            foreach (var row in rows)
            {
                csv.WriteField(row.AtUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                csv.WriteField(CsvCells.Neutralise(row.ActorEmail));
                csv.WriteField(row.ActorIsSupport ? "support" : "administrator");
                csv.WriteField(Describe(row.Action));
                csv.WriteField(CsvCells.Neutralise(row.Subjects));
                csv.WriteField(row.SubjectCount.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(CsvCells.Neutralise(row.Before ?? ""));
                csv.WriteField(CsvCells.Neutralise(row.After ?? ""));
                await csv.NextRecordAsync();
            }
        }
        return new Export($"audit-log-{utcNow:yyyyMMdd-HHmm}.csv", buffer.ToArray());
    }

    public static string Describe(AuditAction action) => action switch
    {
        AuditAction.OrganizationSetUp => "Organization set up",
        AuditAction.AdministratorAppointed => "Administrator appointed",
        AuditAction.AdministratorRemoved => "Administrator removed",
        AuditAction.UserInvited => "User invited",
        AuditAction.InvitationResent => "Invitation resent",
        AuditAction.InvitationCancelled => "Invitation cancelled",
        AuditAction.InvitationAccepted => "Invitation accepted",
        AuditAction.UserRemoved => "User removed",
        AuditAction.BulkInviteStarted => "Bulk invitation started",
        AuditAction.BulkInviteFinished => "Bulk invitation finished",
        AuditAction.LicenseAllocated => "License allocated",
        AuditAction.LicenseAllocationRevoked => "License allocation revoked",
        AuditAction.CreditsAllocated => "Cloud credits allocated",
        AuditAction.CreditAllocationChanged => "Cloud credit allocation changed",
        AuditAction.CreditAllocationRevoked => "Cloud credit allocation revoked",
        _ => action.ToString(),
    };

    private IQueryable<AuditEntry> Query(Guid organizationId, Filter filter)
    {
        var query = db.AuditEntries.AsNoTracking().Where(e => e.OrganizationId == organizationId);
        if (filter.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }
        if (filter.User?.Trim() is { Length: > 0 } user)
        {
            var lowered = user.ToLowerInvariant();
            // Translated to SQL lower(...) LIKE: the culture-aware overloads the analyzers ask for have no translation.
#pragma warning disable CA1304, CA1311, CA1862
            query = query.Where(e => e.ActorEmail.ToLower().Contains(lowered) || e.Subjects.ToLower().Contains(lowered));
#pragma warning restore CA1304, CA1311, CA1862
        }
        if (filter.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(e => e.AtUtc >= start);
        }
        if (filter.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(e => e.AtUtc < end);
        }
        return query;
    }

    private static IQueryable<Row> Rows(IQueryable<AuditEntry> query) =>
        query.OrderByDescending(e => e.AtUtc).ThenByDescending(e => e.Id)
            .Select(e => new Row(e.AtUtc, e.ActorEmail, e.ActorIsSupport, e.Action, e.Subjects, e.SubjectCount, e.Before, e.After));
}
