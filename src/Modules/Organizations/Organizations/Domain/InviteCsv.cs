using System.Text.RegularExpressions;

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

    /// <summary>The account belongs to another organization: an account can be in only one, so it cannot accept.</summary>
    InAnotherOrganization,

    /// <summary>The account has not confirmed its email address yet: it cannot be invited until it does.</summary>
    EmailNotConfirmed,
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
    public const int MaxBytes = CsvFile.MaxBytes;

    /// <summary>The template offered for download.</summary>
    public const string Template = "email,role\r\nanna@example.com,Member\r\nben@example.com,Guest\r\n";

    [GeneratedRegex(@"^[^@\s""(),:;<>\[\\\]]+@[^@\s""(),:;<>\[\\\]]+\.[^@\s""(),:;<>\[\\\]]{2,}$")]
    private static partial Regex EmailPattern();

    public static (IReadOnlyList<InviteCsvRow> Rows, string? Problem) Read(byte[] file)
    {
        var (rows, problem) = CsvFile.Read(file, ["email", "role"], "email,role");
        return ([.. rows.Select(r => new InviteCsvRow(r.Line, r.Cells[0], r.Cells[1]))], problem);
    }

    public static bool IsEmail(string value) => value.Length <= 256 && EmailPattern().IsMatch(value);

    /// <summary>
    /// Each row's state, in the order a reader fixes them: the email's form, the role, a repeat of an earlier row,
    /// then what the portal knows (no account with that email; already in this organization).
    /// </summary>
    public static IReadOnlyList<(InviteCsvRow Row, InviteRowState State)> Review(IReadOnlyList<InviteCsvRow> rows,
        Func<string, bool> isRegistered, Func<string, bool> isMember) =>
        Review(rows, isRegistered, isMember, _ => false);

    /// <summary>As above, and last: the account is in another organization (it could not accept).</summary>
    public static IReadOnlyList<(InviteCsvRow Row, InviteRowState State)> Review(IReadOnlyList<InviteCsvRow> rows,
        Func<string, bool> isRegistered, Func<string, bool> isMember, Func<string, bool> isInAnotherOrganization) =>
        Review(rows, isRegistered, _ => true, isMember, isInAnotherOrganization);

    /// <summary>As above, with the account's confirmed email checked right after the account itself.</summary>
    public static IReadOnlyList<(InviteCsvRow Row, InviteRowState State)> Review(IReadOnlyList<InviteCsvRow> rows,
        Func<string, bool> isRegistered, Func<string, bool> isConfirmed, Func<string, bool> isMember, Func<string, bool> isInAnotherOrganization)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return [.. rows.Select(row => (row,
            !IsEmail(row.Email) ? InviteRowState.InvalidEmail
            : row.Role is null ? InviteRowState.InvalidRole
            : !seen.Add(row.Email) ? InviteRowState.DuplicateInFile
            : !isRegistered(row.Email) ? InviteRowState.UnknownAccount
            : !isConfirmed(row.Email) ? InviteRowState.EmailNotConfirmed
            : isMember(row.Email) ? InviteRowState.AlreadyMember
            : isInAnotherOrganization(row.Email) ? InviteRowState.InAnotherOrganization
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
