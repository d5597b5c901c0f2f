using System.Text;
using ChaosModular.Organizations.Contracts;
using ChaosModular.Organizations.Domain;
using ChaosModular.Organizations.Features;

namespace ChaosModular.UnitTests.Organizations;

/// <summary>The bulk-invite file: what is read, what is refused whole, and each row's state on the review page.</summary>
public sealed class InviteCsvTests
{
    private static readonly string[] Cells = ["=1+1", "+1", "-1", "@SUM(A1)", "anna@example.com", ""];

    private static (IReadOnlyList<InviteCsvRow> Rows, string? Problem) Read(string text, bool bom = false) =>
        InviteCsv.Read([.. (bom ? Encoding.UTF8.GetPreamble() : []), .. Encoding.UTF8.GetBytes(text)]);

    [Fact]
    public void The_template_reads_as_two_ready_rows()
    {
        var (rows, problem) = Read(InviteCsv.Template);

        Assert.Null(problem);
        Assert.Equal([("anna@example.com", OrganizationRole.Member, 2), ("ben@example.com", OrganizationRole.Guest, 3)],
            rows.Select(r => (r.Email, r.Role!.Value, r.Line)));
    }

    [Theory]
    [InlineData(false, "email,role\nanna@example.com,Member\n")]
    [InlineData(true, "email,role\r\nanna@example.com,Member\r\n")]
    [InlineData(true, "email;role\r\nanna@example.com;member\r\n")]
    [InlineData(false, "\"email\",\"role\"\n\"anna@example.com\",\"MEMBER\"\n")]
    [InlineData(false, "role,email\nMember,anna@example.com\n")]
    [InlineData(false, "Email , Role\n  anna@example.com ,  Member \n")]
    public void Bom_semicolons_quotes_column_order_case_and_spaces_read_the_same(bool bom, string text)
    {
        var (rows, problem) = Read(text, bom);

        Assert.Null(problem);
        var row = Assert.Single(rows);
        Assert.Equal(("anna@example.com", OrganizationRole.Member), (row.Email, row.Role));
    }

    [Fact]
    public void Blank_lines_and_lines_of_separators_are_ignored_and_lines_keep_their_numbers()
    {
        var (rows, _) = Read("email,role\n\nanna@example.com,Member\n,\n\nben@example.com,Guest\n\n");

        Assert.Equal([3, 6], rows.Select(r => r.Line));
    }

    [Fact]
    public void A_quoted_comma_stays_in_its_field()
    {
        var (rows, _) = Read("email,role\n\"anna,smith@example.com\",Member\n");

        Assert.Equal("anna,smith@example.com", Assert.Single(rows).Email);
        Assert.Equal(InviteRowState.InvalidEmail, InviteCsv.Review(rows, _ => true, _ => false).Single().State);
    }

    [Theory]
    [InlineData("", "The file is empty")]
    [InlineData("name,address\nanna,Sofia\n", "header email,role")]
    [InlineData("email,role\n\"anna@example.com,Member\n", "not valid CSV")]
    public void A_file_without_the_header_or_broken_is_refused_whole(string text, string expected) =>
        Assert.Contains(expected, Read(text).Problem, StringComparison.Ordinal);

    [Fact]
    public void A_file_that_is_not_text_is_refused()
    {
        byte[] pdf = [0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 0x0A, 0x00, 0xE2, 0xE3, 0xCF, 0xD3];
        byte[] latin1 = Encoding.Latin1.GetBytes("email,role\nj\u00FCrgen@example.com,Member\n");

        Assert.Contains("not a CSV text file", InviteCsv.Read(pdf).Problem, StringComparison.Ordinal);
        Assert.Contains("not UTF-8", InviteCsv.Read(latin1).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Over_5_MB_is_refused_and_5_MB_is_read()
    {
        var line = "someone.with.a.long.address@example.com,Member\n";
        var header = "email,role\n";
        var fits = header + string.Concat(Enumerable.Repeat(line, (InviteCsv.MaxBytes - header.Length) / line.Length));

        Assert.Null(InviteCsv.Read(Encoding.UTF8.GetBytes(fits)).Problem);
        Assert.Contains("larger than 5 MB", InviteCsv.Read(Encoding.UTF8.GetBytes(fits + new string('x', line.Length))).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_row_state_is_told_in_the_order_a_reader_fixes_them()
    {
        var (rows, _) = Read("""
            email,role
            ready@example.com,Member
            not-an-email,Member
            role@example.com,Owner
            admin@example.com,Administrator
            ready@example.com,Guest
            READY@example.com,Guest
            nobody@example.com,Guest
            member@example.com,Member
            """);
        var registered = new HashSet<string>(["ready@example.com", "role@example.com", "member@example.com"], StringComparer.OrdinalIgnoreCase);

        var states = InviteCsv.Review(rows, registered.Contains, e => e == "member@example.com").Select(r => r.State);

        Assert.Equal([InviteRowState.Ready, InviteRowState.InvalidEmail, InviteRowState.InvalidRole, InviteRowState.InvalidRole,
            InviteRowState.DuplicateInFile, InviteRowState.DuplicateInFile, InviteRowState.UnknownAccount, InviteRowState.AlreadyMember], states);
    }

    [Fact]
    public void An_account_whose_email_is_not_confirmed_is_flagged_after_the_account_check_and_before_membership()
    {
        var (rows, _) = Read("""
            email,role
            fresh@example.com,Member
            nobody@example.com,Member
            fresh-member@example.com,Guest
            ready@example.com,Guest
            """);
        var registered = new HashSet<string>(["fresh@example.com", "fresh-member@example.com", "ready@example.com"], StringComparer.OrdinalIgnoreCase);
        var unconfirmed = new HashSet<string>(["fresh@example.com", "fresh-member@example.com"], StringComparer.OrdinalIgnoreCase);

        var states = InviteCsv.Review(rows, registered.Contains, e => !unconfirmed.Contains(e), e => e == "fresh-member@example.com", _ => false)
            .Select(r => r.State);

        Assert.Equal([InviteRowState.EmailNotConfirmed, InviteRowState.UnknownAccount, InviteRowState.EmailNotConfirmed, InviteRowState.Ready], states);
        Assert.Equal("Email not confirmed yet", BulkInviteTexts.State(InviteRowState.EmailNotConfirmed));
    }

    [Fact]
    public void A_formula_in_a_cell_is_read_as_text_and_written_back_neutralised()
    {
        var (rows, _) = Read("email,role\n\"=HYPERLINK(\"\"http://evil\"\")\",Member\n");

        Assert.Equal("=HYPERLINK(\"http://evil\")", Assert.Single(rows).Email);
        Assert.Equal(InviteRowState.InvalidEmail, InviteCsv.Review(rows, _ => true, _ => false).Single().State);
        Assert.Equal(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "anna@example.com", ""], Cells.Select(CsvCells.Neutralise));
    }

    [Fact]
    public void Twenty_five_thousand_rows_are_read_and_reviewed()
    {
        var text = new StringBuilder("email,role\n");
        for (var i = 0; i < 25_000; i++)
        {
            text.Append(CultureInfo(i)).Append("@example.com,").Append(i % 3 == 0 ? "Guest" : "Member").Append('\n');
        }

        var (rows, problem) = InviteCsv.Read(Encoding.UTF8.GetBytes(text.ToString()));
        var reviewed = InviteCsv.Review(rows, _ => true, _ => false);

        Assert.Null(problem);
        Assert.Equal(25_000, reviewed.Count(r => r.State == InviteRowState.Ready));
        Assert.Equal(25_001, reviewed[^1].Row.Line);   // no timing here: the benchmark measures it
    }

    private static string CultureInfo(int i) => "user" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
