using System.Globalization;
using System.Text;
using CsvHelper;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// The per-row results of a bulk invite as a CSV file (line, email, role, result): attached to the report email and
/// downloaded from the status page. Cells are neutralised, as the file is opened in spreadsheets.
/// </summary>
internal sealed class BulkInviteResults(OrganizationsDbContext db, OrganizationAdministrators administrators)
{
    public sealed record Row(int Line, string Email, string RoleText, InviteRowState State, BulkInviteOutcome? Outcome);

    public sealed record File(string Name, byte[] Content);

    /// <summary>Null when the account administers no organization or the bulk invite is not its organization's.</summary>
    public async Task<File?> HandleAsync(string administratorId, Guid bulkInviteId, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization
            || await db.BulkInvites.AsNoTracking().SingleOrDefaultAsync(b => b.Id == bulkInviteId && b.OrganizationId == organization.Id, cancellationToken) is not { } bulk)
        {
            return null;
        }
        return new File(FileName(bulk), Csv(await RowsAsync(db, bulkInviteId, cancellationToken)));
    }

    public static Task<List<Row>> RowsAsync(OrganizationsDbContext db, Guid bulkInviteId, CancellationToken cancellationToken) =>
        db.BulkInviteRows.AsNoTracking().Where(r => r.BulkInviteId == bulkInviteId).OrderBy(r => r.Line)
            .Select(r => new Row(r.Line, r.Email, r.RoleText, r.State, r.Outcome)).ToListAsync(cancellationToken);

    public static string FileName(BulkInvite bulk) =>
        $"bulk-invite-{bulk.UploadedUtc.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}-results.csv";

    /// <summary>UTF-8 with a byte order mark, so spreadsheets read accented addresses right.</summary>
    public static byte[] Csv(IEnumerable<Row> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            foreach (var header in new[] { "line", "email", "role", "result" })
            {
                csv.WriteField(header);
            }
            csv.NextRecord();
            foreach (var r in rows)
            {
                csv.WriteField(r.Line);
                csv.WriteField(CsvCells.Neutralise(r.Email));
                csv.WriteField(CsvCells.Neutralise(r.RoleText));
                csv.WriteField(CsvCells.Neutralise(BulkInviteTexts.Result(r.State, r.Outcome)));
                csv.NextRecord();
            }
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }
}
