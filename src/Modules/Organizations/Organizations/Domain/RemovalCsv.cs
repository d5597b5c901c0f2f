namespace ChaosModular.Organizations.Domain;

/// <summary>What the removal review says about one row of a file of emails.</summary>
internal enum RemovalRowState
{
    /// <summary>A member or guest of this organization: removed.</summary>
    ToRemove,
    InvalidEmail,
    DuplicateInFile,

    /// <summary>No account with that email is in this organization.</summary>
    NotInOrganization,

    /// <summary>Administrators are appointed and removed by support, never here.</summary>
    Administrator,
}

internal sealed record RemovalCsvRow(int Line, string Email);

/// <summary>
/// The file of people to remove: one column, header <c>email</c>, read by the same rules as the bulk-invite file
/// (<see cref="CsvFile"/>), at most <see cref="MaxRows"/> rows (each removal is its own transaction and email, done
/// while the administrator waits).
/// </summary>
internal static class RemovalCsv
{
    public const int MaxRows = 1000;

    public const string Template = "email\r\nanna@example.com\r\nben@example.com\r\n";

    public static (IReadOnlyList<RemovalCsvRow> Rows, string? Problem) Read(byte[] file)
    {
        var (rows, problem) = CsvFile.Read(file, ["email"], "email");
        if (problem is not null)
        {
            return ([], problem);
        }
        if (rows.Count == 0)
        {
            return ([], "The file has the header but no rows: add one email per line.");
        }
        if (rows.Count > MaxRows)
        {
            return ([], $"The file names {rows.Count} people; at most {MaxRows} can be removed at once. Split it into smaller files.");
        }
        return ([.. rows.Select(r => new RemovalCsvRow(r.Line, r.Cells[0]))], null);
    }

    /// <summary>Each row's state: the email's form, a repeat of an earlier row, then the person's role here (null: not in the organization).</summary>
    public static IReadOnlyList<(RemovalCsvRow Row, RemovalRowState State)> Review(IReadOnlyList<RemovalCsvRow> rows, Func<string, OrganizationRole?> roleHere)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return [.. rows.Select(row => (row,
            !InviteCsv.IsEmail(row.Email) ? RemovalRowState.InvalidEmail
            : !seen.Add(row.Email) ? RemovalRowState.DuplicateInFile
            : roleHere(row.Email) switch
            {
                null => RemovalRowState.NotInOrganization,
                OrganizationRole.Administrator => RemovalRowState.Administrator,
                _ => RemovalRowState.ToRemove,
            }))];
    }
}
