using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;

namespace ChaosModular.Organizations.Domain;

/// <summary>What the review page says about one row of a bulk-invite file.</summary>
internal enum InviteRowState
{
    Ready,
    InvalidEmail,
    InvalidRole,
    DuplicateInFile,
    UnknownAccount,
    AlreadyMember,
}

/// <param name="Line">The row's line in the file (the header is line 1), so the admin can find it.</param>
internal sealed record InviteCsvRow(int Line, string Email, string RoleText)
{
    /// <summary>Member or Guest, in any case; administrators are appointed by support, never invited.</summary>
    public OrganizationRole? Role => RoleText.Trim().ToUpperInvariant() switch
    {
        "MEMBER" => OrganizationRole.Member,
        "GUEST" => OrganizationRole.Guest,
        _ => null,
    };
}

/// <summary>
/// The bulk-invite file (<c>email,role</c>): UTF-8 with or without a byte order mark, comma or semicolon separated
/// (as spreadsheets in comma-decimal locales save it), quoted fields, blank lines ignored. A file that is too large,
/// not text or without the header is refused whole with a message; row problems are states on the review page.
/// </summary>
internal static partial class InviteCsv
{
    public const int MaxBytes = 5 * 1024 * 1024;

    /// <summary>The template offered for download.</summary>
    public const string Template = "email,role\r\nanna@example.com,Member\r\nben@example.com,Guest\r\n";

    [GeneratedRegex(@"^[^@\s""(),:;<>\[\\\]]+@[^@\s""(),:;<>\[\\\]]+\.[^@\s""(),:;<>\[\\\]]{2,}$")]
    private static partial Regex EmailPattern();

    public static (IReadOnlyList<InviteCsvRow> Rows, string? Problem) Read(byte[] file)
    {
        if (file.Length > MaxBytes)
        {
            return ([], $"The file is larger than {MaxBytes / (1024 * 1024)} MB. Split it into smaller files of email,role rows.");
        }
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(file);
        }
        catch (DecoderFallbackException)
        {
            return ([], "This is not a CSV text file (it is not UTF-8 text). Save the sheet as \"CSV UTF-8\" and upload that.");
        }
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return ([], "This is not a CSV text file. Save the sheet as \"CSV UTF-8\" and upload that.");
        }
        text = text.TrimStart('\uFEFF');
        var firstLine = text.Split('\n', 2)[0];
        var delimiter = firstLine.Contains(';', StringComparison.Ordinal) && !firstLine.Contains(',', StringComparison.Ordinal) ? ";" : ",";
        string? badData = null;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter,
            HasHeaderRecord = true,
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.Trim,
            MissingFieldFound = null,
            HeaderValidated = null,
            BadDataFound = args => badData ??= $"Line {args.Context.Parser?.RawRow}: a quote is not closed or is inside an unquoted field.",
        };
        using var reader = new StringReader(text);
        using var csv = new CsvReader(reader, config);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            return ([], "The file is empty. Download the template and fill in one email,role row per person.");
        }
        var emailColumn = Array.FindIndex(header, h => h.Trim().Equals("email", StringComparison.OrdinalIgnoreCase));
        var roleColumn = Array.FindIndex(header, h => h.Trim().Equals("role", StringComparison.OrdinalIgnoreCase));
        if (emailColumn < 0 || roleColumn < 0)
        {
            return ([], "The first line must be the header email,role (download the template).");
        }
        var rows = new List<InviteCsvRow>();
        while (csv.Read())
        {
            var email = csv.TryGetField<string>(emailColumn, out var e) ? e ?? "" : "";
            var role = csv.TryGetField<string>(roleColumn, out var r) ? r ?? "" : "";
            if (email.Length == 0 && role.Length == 0)
            {
                continue;   // a line of separators only: blank for a spreadsheet
            }
            rows.Add(new InviteCsvRow(csv.Parser.RawRow, email, role));
        }
        return badData is null ? (rows, null) : ([], $"This file is not valid CSV. {badData}");
    }

    public static bool IsEmail(string value) => value.Length <= 256 && EmailPattern().IsMatch(value);

    /// <summary>
    /// Each row's state, in the order a reader fixes them: the email's form, the role, a repeat of an earlier row,
    /// then what the portal knows (no account with that email; already in this organization).
    /// </summary>
    public static IReadOnlyList<(InviteCsvRow Row, InviteRowState State)> Review(IReadOnlyList<InviteCsvRow> rows,
        Func<string, bool> isRegistered, Func<string, bool> isMember)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return [.. rows.Select(row => (row,
            !IsEmail(row.Email) ? InviteRowState.InvalidEmail
            : row.Role is null ? InviteRowState.InvalidRole
            : !seen.Add(row.Email) ? InviteRowState.DuplicateInFile
            : !isRegistered(row.Email) ? InviteRowState.UnknownAccount
            : isMember(row.Email) ? InviteRowState.AlreadyMember
            : InviteRowState.Ready))];
    }
}

/// <summary>Cells written to CSV files people open in spreadsheets.</summary>
internal static class CsvCells
{
    /// <summary>
    /// A cell starting with <c>= + - @</c> (or a tab or carriage return) would run as a formula when the file is opened
    /// (CSV injection): it is written with a leading apostrophe so it shows as text.
    /// </summary>
    public static string Neutralise(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
