using System.Text;
using ChaosModular.Organizations.Contracts;
using ChaosModular.Organizations.Domain;

namespace ChaosModular.UnitTests.Organizations;

/// <summary>The rules added with bulk invites: another organization's people, roles fixed on review, and the removal file.</summary>
public sealed class BulkCsvRulesTests
{
    private static IReadOnlyList<RemovalCsvRow> Removal(string text)
    {
        var (rows, problem) = RemovalCsv.Read(Encoding.UTF8.GetBytes(text));
        Assert.Null(problem);
        return rows;
    }

    [Fact]
    public void An_account_of_another_organization_is_flagged_after_the_checks_that_come_first()
    {
        var rows = InviteCsv.Read(Encoding.UTF8.GetBytes("email,role\nanna@example.com,Member\nben@example.com,Member\nben@example.com,Guest\n")).Rows;

        var states = InviteCsv.Review(rows, _ => true, e => e == "anna@example.com", e => true);

        Assert.Equal([InviteRowState.AlreadyMember, InviteRowState.InAnotherOrganization, InviteRowState.DuplicateInFile], states.Select(s => s.State));
    }

    [Fact]
    public void Fixing_the_role_of_an_earlier_row_makes_it_the_one_to_invite_and_the_later_one_a_duplicate()
    {
        var id = Guid.NewGuid();
        var rows = InviteCsv.Read(Encoding.UTF8.GetBytes("email,role\nanna@example.com,Boss\nAnna@Example.com,Member\n")).Rows;
        var reviewed = InviteCsv.Review(rows, _ => true, _ => false);
        var stored = reviewed.Select(r => BulkInviteRow.Read(id, r.Row, r.State, "acc-1", false, false)).ToList();
        Assert.Equal([InviteRowState.InvalidRole, InviteRowState.Ready], stored.Select(r => r.State));

        stored[0].ChangeRole(OrganizationRole.Guest);
        BulkInviteRow.ReviewNamesakes(stored);

        Assert.Equal([InviteRowState.Ready, InviteRowState.DuplicateInFile], stored.Select(r => r.State));
        Assert.Equal(("Guest", OrganizationRole.Guest), (stored[0].RoleText, stored[0].Role));
        Assert.Throws<ArgumentOutOfRangeException>(() => stored[1].ChangeRole(OrganizationRole.Administrator));
    }

    [Fact]
    public void A_stored_row_keeps_at_most_the_column_lengths_and_its_email_key_ignores_case()
    {
        var row = BulkInviteRow.Read(Guid.NewGuid(), new InviteCsvRow(2, "Anna@Example.com" + new string('x', 400), new string('r', 100)), InviteRowState.InvalidEmail, null, false, false);

        Assert.Equal(BulkInviteRow.MaxEmailLength, row.Email.Length);
        Assert.Equal(BulkInviteRow.MaxRoleLength, row.RoleText.Length);
        Assert.StartsWith("ANNA@EXAMPLE.COM", row.EmailKey, StringComparison.Ordinal);
    }

    [Fact]
    public void The_removal_file_reads_one_email_column_by_the_same_rules()
    {
        Assert.Equal([(2, "anna@example.com"), (4, "ben@example.com")],
            Removal("\uFEFFEmail;Note\r\nanna@example.com;left\r\n\r\n\"ben@example.com\";\r\n").Select(r => (r.Line, r.Email)));
        Assert.Contains("header email", RemovalCsv.Read(Encoding.UTF8.GetBytes("mail\nanna@example.com\n")).Problem, StringComparison.Ordinal);
        Assert.Contains("no rows", RemovalCsv.Read(Encoding.UTF8.GetBytes("email\n\n")).Problem, StringComparison.Ordinal);
        Assert.Contains("larger than 5 MB", RemovalCsv.Read(new byte[CsvFile.MaxBytes + 1]).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_removal_file_names_at_most_a_thousand_people()
    {
        static byte[] File(int count) => Encoding.UTF8.GetBytes("email\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"p{i}@example.com\n")));

        Assert.Null(RemovalCsv.Read(File(RemovalCsv.MaxRows)).Problem);
        Assert.Equal($"The file names {RemovalCsv.MaxRows + 1} people; at most {RemovalCsv.MaxRows} can be removed at once. Split it into smaller files.",
            RemovalCsv.Read(File(RemovalCsv.MaxRows + 1)).Problem);
    }

    [Fact]
    public void Each_removal_row_says_whether_it_goes_in_the_order_a_reader_fixes_them()
    {
        var rows = Removal("email\nanna@example.com\nbroken\nANNA@example.com\nboss@example.com\nnobody@example.com\n");

        var states = RemovalCsv.Review(rows, e => e.ToUpperInvariant() switch
        {
            "ANNA@EXAMPLE.COM" => OrganizationRole.Guest,
            "BOSS@EXAMPLE.COM" => OrganizationRole.Administrator,
            _ => null,
        });

        Assert.Equal([RemovalRowState.ToRemove, RemovalRowState.InvalidEmail, RemovalRowState.DuplicateInFile, RemovalRowState.Administrator, RemovalRowState.NotInOrganization],
            states.Select(s => s.State));
    }
}
