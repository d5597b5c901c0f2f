using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using ChaosModular.Accounts.Data;
using ChaosModular.Notifications.Data;
using ChaosModular.Organizations.Contracts;
using ChaosModular.Organizations.Data;
using ChaosModular.Organizations.Domain;
using ChaosModular.Organizations.Features;
using ChaosModular.Organizations.Jobs;
using StoredEmail = ChaosModular.Notifications.Domain.Email;

namespace ChaosModular.UnitTests.Organizations;

/// <summary>
/// Invite users › Bulk and Remove users › Via .csv through the real pipeline on PostgreSQL: upload, review (every
/// row's state, roles changed), Send invites, the job (run here directly, as the Worker would, also twice, at once and
/// after a crash), the status page and the report email; only that organization's administrators reach any of it.
/// </summary>
public abstract class BulkInviteTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : PortalFactory
{
    protected TFactory Factory => factory;

    protected sealed record Person(PortalClient Client, string Email, string UserId);

    protected async Task<Person> SignUpAsync(string prefix = "bulk")
    {
        var email = $"{prefix}-{Guid.NewGuid():N}@example.test";
        var client = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync("Bea Bulk", email, "BulkInvite2026xx")).StatusCode);
        await using var scope = factory.Services.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        return new Person(client, email, id);
    }

    protected async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    protected async Task<Guid> SetUpOrganizationAsync(Person administrator) =>
        (await InScopeAsync(s => s.GetRequiredService<SetUpOrganization>().HandleAsync(administrator.UserId, $"Bulk {Guid.NewGuid():N}"[..16], "test", CancellationToken.None))).OrganizationId;

    protected Task JoinAsync(Guid organizationId, Person person, OrganizationRole role) => InScopeAsync(async s =>
    {
        var db = s.GetRequiredService<OrganizationsDbContext>();
        db.Memberships.Add(Membership.Join(organizationId, person.UserId, person.Email, role, DateTime.UtcNow));
        return await db.SaveChangesAsync();
    });

    protected static async Task<KeyValuePair<string, string>> TokenAsync(PortalClient client) =>
        PortalClient.HiddenFields(await client.GetPageAsync("/products")).First(f => f.Key == "__RequestVerificationToken");

    protected static async Task<HttpResponseMessage> UploadAsync(PortalClient client, string path, byte[] file, string fileName = "people.csv")
    {
        var token = await TokenAsync(client);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token.Value), token.Key },
        };
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "file", fileName);
        return await client.Http.PostAsync(new Uri(path, UriKind.Relative), form);
    }

    protected static Task<HttpResponseMessage> UploadInvitesAsync(Person administrator, string csv) =>
        UploadAsync(administrator.Client, OrganizationUsersRoutes.InviteBulk, Encoding.UTF8.GetBytes(csv));

    protected static async Task<HttpResponseMessage> PostAsync(PortalClient client, string path, IEnumerable<KeyValuePair<string, string>> fields) =>
        await client.Http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent([await TokenAsync(client), .. fields]));

    /// <summary>Uploads the file and follows the redirect to its review page.</summary>
    protected static async Task<Guid> UploadForReviewAsync(Person administrator, string csv)
    {
        var response = await UploadInvitesAsync(administrator, csv);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        return Guid.Parse(BulkMarkup.ReviewPath().Match(location).Groups[1].Value);
    }

    protected sealed record ReviewRow(int Line, string Email, string Role, string State);

    protected static async Task<List<ReviewRow>> ReviewAsync(Person administrator, Guid bulkInviteId, string query = "") =>
        [.. BulkMarkup.ReviewRowMarkup().Matches(await administrator.Client.GetPageAsync(OrganizationUsersRoutes.BulkInviteReview(bulkInviteId) + query))
            .Select(m => new ReviewRow(int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), WebUtility.HtmlDecode(m.Groups["email"].Value), m.Groups["role"].Value, m.Groups["state"].Value))];

    protected Task RunJobAsync(Guid bulkInviteId) =>
        InScopeAsync(async s =>
        {
            await s.GetRequiredService<BulkInviteJob>().RunAsync(bulkInviteId, CancellationToken.None);
            return 0;
        });

    private protected Task<List<Invitation>> InvitationsAsync(Guid organizationId) =>
        InScopeAsync(s => s.GetRequiredService<OrganizationsDbContext>().Invitations.AsNoTracking().Where(i => i.OrganizationId == organizationId).ToListAsync());

    private protected Task<List<StoredEmail>> EmailsToAsync(string address) =>
        InScopeAsync(s => s.GetRequiredService<NotificationsDbContext>().Emails.AsNoTracking().Include(e => e.Attachments).Where(e => e.ToAddress == address).ToListAsync());

    private protected Task<List<AuditEntry>> AuditAsync(Guid organizationId) =>
        InScopeAsync(s => s.GetRequiredService<OrganizationsDbContext>().AuditEntries.AsNoTracking().Where(a => a.OrganizationId == organizationId).OrderBy(a => a.AtUtc).ToListAsync());

    /// <summary>An organization with an administrator, a member, a guest, an account already invited and one of another organization.</summary>
    protected sealed record Scene(Person Admin, Guid OrganizationId, Person Member, Person Guest, Person Invited, Person OtherOrganizations, Person OtherAdmin);

    protected async Task<Scene> SceneAsync()
    {
        var admin = await SignUpAsync("admin");
        var organizationId = await SetUpOrganizationAsync(admin);
        var member = await SignUpAsync("member");
        await JoinAsync(organizationId, member, OrganizationRole.Member);
        var guest = await SignUpAsync("guest");
        await JoinAsync(organizationId, guest, OrganizationRole.Guest);
        var invited = await SignUpAsync("invited");
        var single = await InScopeAsync(s => s.GetRequiredService<InviteUser>().HandleAsync(admin.UserId, invited.Email, OrganizationRole.Member, CancellationToken.None));
        Assert.Equal(InviteUser.Outcome.Invited, single.Outcome);
        var otherAdmin = await SignUpAsync("otheradmin");
        var otherOrganization = await SetUpOrganizationAsync(otherAdmin);
        var elsewhere = await SignUpAsync("elsewhere");
        await JoinAsync(otherOrganization, elsewhere, OrganizationRole.Member);
        return new Scene(admin, organizationId, member, guest, invited, elsewhere, otherAdmin);
    }

    [Fact]
    public async Task The_review_shows_each_rows_state_and_the_count_ready_to_send()
    {
        var scene = await SceneAsync();
        var ready = await SignUpAsync("ready");
        var csv = "email;role\r\n"
            + $"{ready.Email};guest\r\n"
            + $"{scene.Member.Email};Member\r\n"
            + $"{scene.Invited.Email};Member\r\n"
            + $"{scene.OtherOrganizations.Email};Member\r\n"
            + "nobody-here@example.test;Member\r\n"
            + "not-an-email;Member\r\n"
            + "\r\n"
            + $"{ready.Email.ToUpperInvariant()};Member\r\n"
            + $"\"{ready.Email}\";Administrator\r\n";

        var id = await UploadForReviewAsync(scene.Admin, csv);
        var rows = await ReviewAsync(scene.Admin, id);

        Assert.Equal(
            [
                (2, "Ready"), (3, "AlreadyMember"), (4, "AlreadyMember"), (5, "InAnotherOrganization"), (6, "UnknownAccount"),
                (7, "InvalidEmail"), (9, "DuplicateInFile"), (10, "InvalidRole"),
            ],
            rows.Select(r => (r.Line, r.State)));
        var page = PortalClient.Decode(await scene.Admin.Client.GetPageAsync(OrganizationUsersRoutes.BulkInviteReview(id)));
        Assert.Contains("Send invites (1)", page, StringComparison.Ordinal);
        foreach (var text in new[] { "Ready", "Already a member or invited", "In another organization", "No Chaos account", "Invalid email", "Duplicate in the file", "Invalid role" })
        {
            Assert.Contains(text, page, StringComparison.Ordinal);
        }
        // Nothing is sent by an upload.
        Assert.DoesNotContain(await InvitationsAsync(scene.OrganizationId), i => i.AccountId == ready.UserId);
    }

    [Fact]
    public async Task The_review_pages_through_many_rows_and_filters_by_state()
    {
        var admin = await SignUpAsync("admin");
        await SetUpOrganizationAsync(admin);
        var csv = new StringBuilder("email,role\n");
        for (var i = 0; i < 120; i++)
        {
            csv.Append(Name(i)).Append("@unknown.example.test,Member\n");
        }
        csv.Append("broken,Member\n");

        var id = await UploadForReviewAsync(admin, csv.ToString());

        var first = PortalClient.Decode(await admin.Client.GetPageAsync(OrganizationUsersRoutes.BulkInviteReview(id)));
        Assert.Contains("Page 1 of 3", first, StringComparison.Ordinal);
        Assert.Equal(ShowBulkInvite.PageSize, BulkMarkup.ReviewRowMarkup().Count(first));
        Assert.Equal(21, (await ReviewAsync(admin, id, "?p=3")).Count);
        Assert.Equal([(122, "InvalidEmail")], (await ReviewAsync(admin, id, "?state=InvalidEmail")).Select(r => (r.Line, r.State)));
        Assert.Contains("nothing-ready", first, StringComparison.Ordinal);

        static string Name(int i) => $"person{i:D3}";
    }

    [Fact]
    public async Task A_file_that_is_not_csv_or_too_large_is_refused_with_a_message_and_nothing_stored()
    {
        var admin = await SignUpAsync("admin");
        var organizationId = await SetUpOrganizationAsync(admin);

        var binary = await UploadAsync(admin.Client, OrganizationUsersRoutes.InviteBulk, [0x50, 0x4B, 0x03, 0x04, 0x00, 0xFF, 0xFE, 0x00], "people.xlsx");
        var large = await UploadAsync(admin.Client, OrganizationUsersRoutes.InviteBulk, Encoding.UTF8.GetBytes("email,role\n" + new string('a', InviteCsv.MaxBytes)));

        Assert.Equal(HttpStatusCode.OK, binary.StatusCode);
        Assert.Contains("This is not a CSV text file", PortalClient.Decode(await binary.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Contains("The file is larger than 5 MB", PortalClient.Decode(await large.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False(await InScopeAsync(s => s.GetRequiredService<OrganizationsDbContext>().BulkInvites.AnyAsync(b => b.OrganizationId == organizationId)));
    }

    [Fact]
    public async Task Removing_users_via_csv_reviews_who_goes_then_removes_them()
    {
        var scene = await SceneAsync();
        var csv = $"email\n{scene.Member.Email}\n{scene.Guest.Email.ToUpperInvariant()}\n{scene.Admin.Email}\n{scene.OtherOrganizations.Email}\nnobody@unknown.example.test\nbroken\n{scene.Member.Email}\n";

        var review = await UploadAsync(scene.Admin.Client, OrganizationUsersRoutes.RemoveCsv + "?handler=Upload", Encoding.UTF8.GetBytes(csv));

        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        var html = PortalClient.Decode(await review.Content.ReadAsStringAsync());
        Assert.Contains("Remove 2 users", html, StringComparison.Ordinal);
        Assert.Equal(["ToRemove", "ToRemove", "Administrator", "NotInOrganization", "NotInOrganization", "InvalidEmail", "DuplicateInFile"],
            BulkMarkup.RemovalRowMarkup().Matches(html).Select(m => m.Groups[1].Value));
        Assert.Contains("Administrators are not removed here", html, StringComparison.Ordinal);
        var ids = PortalClient.HiddenFields(html).Single(f => f.Key == "ids").Value;

        var removed = await PostAsync(scene.Admin.Client, OrganizationUsersRoutes.RemoveCsv + "?handler=Remove", [new("ids", ids)]);

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        foreach (var gone in new[] { scene.Member, scene.Guest })
        {
            Assert.Null(await InScopeAsync(s => s.GetRequiredService<IOrganizationsApi>().MembershipAsync(gone.UserId, CancellationToken.None)));
            Assert.Single(await EmailsToAsync(gone.Email), e => e.Template == "organization-removal");
        }
        Assert.Equal(OrganizationRole.Administrator, (await InScopeAsync(s => s.GetRequiredService<IOrganizationsApi>().MembershipAsync(scene.Admin.UserId, CancellationToken.None)))!.Role);
        Assert.NotNull(await InScopeAsync(s => s.GetRequiredService<IOrganizationsApi>().MembershipAsync(scene.OtherOrganizations.UserId, CancellationToken.None)));
        Assert.Equal(2, (await AuditAsync(scene.OrganizationId)).Count(a => a.Action == AuditAction.UserRemoved));
    }

}

/// <summary>Upload, review and removal on SQLite, the embedded default (its jobs run inside Web, so the job tests are PostgreSQL's).</summary>
public sealed class SqliteBulkInviteTests(SqlitePortalFactory factory) : BulkInviteTests<SqlitePortalFactory>(factory);

/// <summary>Everything that sends, where the test runs the job itself as the Worker would, also several at once.</summary>
public sealed class PostgresBulkInviteTests(PostgresPortalFactory factory) : BulkInviteTests<PostgresPortalFactory>(factory)
{
    [Fact]
    public async Task Roles_changed_on_the_review_are_the_roles_invited_and_a_fixed_role_makes_a_row_ready()
    {
        var admin = await SignUpAsync("admin");
        var organizationId = await SetUpOrganizationAsync(admin);
        var anna = await SignUpAsync("anna");
        var ben = await SignUpAsync("ben");
        var id = await UploadForReviewAsync(admin, $"email,role\n{anna.Email},Member\n{ben.Email},Boss\n");
        Assert.Equal(["Ready", "InvalidRole"], (await ReviewAsync(admin, id)).Select(r => r.State));

        var saved = await PostAsync(admin.Client, OrganizationUsersRoutes.BulkInviteReview(id) + "?handler=Roles", [new("roles[2]", "Guest"), new("roles[3]", "Member")]);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal([("Guest", "Ready"), ("Member", "Ready")], (await ReviewAsync(admin, id)).Select(r => (r.Role, r.State)));
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(admin.Client, OrganizationUsersRoutes.BulkInviteReview(id) + "?handler=Send", [])).StatusCode);
        await RunJobAsync(id);
        var invitations = await InvitationsAsync(organizationId);
        Assert.Equal(OrganizationRole.Guest, invitations.Single(i => i.AccountId == anna.UserId).Role);
        Assert.Equal(OrganizationRole.Member, invitations.Single(i => i.AccountId == ben.UserId).Role);
        // Once sent, roles no longer change and the review page leads to the status page.
        var late = await PostAsync(admin.Client, OrganizationUsersRoutes.BulkInviteReview(id) + "?handler=Roles", [new("roles[2]", "Member")]);
        Assert.Equal(OrganizationUsersRoutes.BulkInvite(id), late.Headers.Location!.OriginalString);
        Assert.Equal(OrganizationRole.Guest, (await InvitationsAsync(organizationId)).Single(i => i.AccountId == anna.UserId).Role);
    }

    [Fact]
    public async Task Send_invites_runs_a_job_that_invites_each_ready_row_once_emails_them_and_reports_to_the_administrator()
    {
        var scene = await SceneAsync();
        var anna = await SignUpAsync("anna");
        var ben = await SignUpAsync("ben");
        var csv = $"email,role\n{anna.Email},Member\n{ben.Email},Guest\n{scene.Member.Email},Member\n\"=HYPERLINK(\"\"x\"\")@evil.example.test\",-Member\nnobody@unknown.example.test,Member\n";
        var id = await UploadForReviewAsync(scene.Admin, csv);

        var sent = await PostAsync(scene.Admin.Client, OrganizationUsersRoutes.BulkInviteReview(id) + "?handler=Send", []);

        Assert.Equal(OrganizationUsersRoutes.BulkInvite(id), sent.Headers.Location!.OriginalString);
        var sending = PortalClient.Decode(await scene.Admin.Client.GetPageAsync(OrganizationUsersRoutes.BulkInvite(id)));
        Assert.Contains("data-status=\"Sending\"", sending, StringComparison.Ordinal);
        Assert.Contains("data-reload-after=", sending, StringComparison.Ordinal);
        Assert.Contains("0 of 5 row(s) done", sending, StringComparison.Ordinal);
        var started = Assert.Single(await AuditAsync(scene.OrganizationId), a => a.Action == AuditAction.BulkInviteStarted);
        Assert.Equal($"{anna.Email}, {ben.Email}", started.Subjects);
        // A second press (another tab) starts nothing more.
        Assert.Equal(OrganizationUsersRoutes.BulkInvite(id), (await PostAsync(scene.Admin.Client, OrganizationUsersRoutes.BulkInviteReview(id) + "?handler=Send", [])).Headers.Location!.OriginalString);

        await RunJobAsync(id);
        await RunJobAsync(id);

        var invitations = (await InvitationsAsync(scene.OrganizationId)).Where(i => i.AccountId == anna.UserId || i.AccountId == ben.UserId).ToList();
        Assert.Equal([(anna.UserId, OrganizationRole.Member), (ben.UserId, OrganizationRole.Guest)],
            invitations.OrderBy(i => i.AccountId == ben.UserId).Select(i => (i.AccountId, i.Role)));
        Assert.All(invitations, i => Assert.Equal((InvitationStatus.Pending, scene.Admin.UserId), (i.Status, i.InvitedBy)));
        Assert.Equal("organization-invitation", Assert.Single(await EmailsToAsync(anna.Email)).Template);
        Assert.Single(await EmailsToAsync(ben.Email));
        Assert.Empty(await EmailsToAsync(scene.Member.Email));

        var status = PortalClient.Decode(await scene.Admin.Client.GetPageAsync(OrganizationUsersRoutes.BulkInvite(id)));
        Assert.Contains("data-status=\"Finished\"", status, StringComparison.Ordinal);
        Assert.DoesNotContain("data-reload-after=", status, StringComparison.Ordinal);
        Assert.Contains("5 of 5 row(s) done", status, StringComparison.Ordinal);
        Assert.Contains("2 invited", status, StringComparison.Ordinal);
        Assert.Contains("Not sent: already a member or invited", status, StringComparison.Ordinal);
        Assert.Contains("Not sent: no chaos account", status, StringComparison.Ordinal);

        var report = Assert.Single(await EmailsToAsync(scene.Admin.Email), e => e.Template == "organization-bulk-invite-report");
        Assert.Contains($"\"bulkInviteId\":\"{id}\"", report.ModelJson, StringComparison.Ordinal);
        Assert.Contains("\"invited\":2", report.ModelJson, StringComparison.Ordinal);
        var attachment = Assert.Single(report.Attachments);
        Assert.Equal("text/csv", attachment.ContentType);
        var lines = Encoding.UTF8.GetString(attachment.Content).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line,email,role,result", lines[0]);
        Assert.Equal($"2,{anna.Email},Member,Invited", lines[1]);
        Assert.Equal("5,\"'=HYPERLINK(\"\"x\"\")@evil.example.test\",'-Member,Not sent: invalid email", lines[4]);
        var download = await scene.Admin.Client.GetAsync(OrganizationUsersRoutes.BulkInviteResults(id));
        Assert.Equal(attachment.Content, await download.Content.ReadAsByteArrayAsync());
        // What the administrator and the invited read.
        var organization = await InScopeAsync(s => s.GetRequiredService<OrganizationsDbContext>().Organizations.Where(o => o.Id == scene.OrganizationId).Select(o => o.Name).SingleAsync());
        var reportEmail = await Mailbox.RenderAsync(Factory, report);
        Assert.Equal($"Your bulk invite to {organization} has finished", reportEmail.Subject);
        Assert.Contains("The invitations from people.csv are done: 2 of 5 row(s) invited, 3 not sent.", reportEmail.Text, StringComparison.Ordinal);
        Assert.Contains($"Open the status page: https://localhost{OrganizationUsersRoutes.BulkInvite(id)}", reportEmail.Text, StringComparison.Ordinal);
        var annaInvitation = await Mailbox.RenderAsync(Factory, Assert.Single(await EmailsToAsync(anna.Email)));
        Assert.Equal($"You are invited to join {organization} on ChaosModular", annaInvitation.Subject);
        Assert.Contains($"An administrator of {organization} invites you to join it as a member.", annaInvitation.Text, StringComparison.Ordinal);
        var benInvitation = await Mailbox.RenderAsync(Factory, Assert.Single(await EmailsToAsync(ben.Email)));
        Assert.Contains($"An administrator of {organization} invites you to join it as a guest.", benInvitation.Text, StringComparison.Ordinal);
        var finished = Assert.Single(await AuditAsync(scene.OrganizationId), a => a.Action == AuditAction.BulkInviteFinished);
        Assert.Equal("5 rows: 2 invited, 3 not sent", finished.After);

        // The invitations are the single invite's: listed, cancelled and accepted the same way.
        var users = PortalClient.Decode(await scene.Admin.Client.GetPageAsync(OrganizationUsersRoutes.Users));
        Assert.Contains($"data-email=\"{anna.Email}\" data-role=\"Member\" data-status=\"Invited\"", users, StringComparison.Ordinal);
        var benInvitationId = invitations.Single(i => i.AccountId == ben.UserId).Id;
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(scene.Admin.Client, OrganizationUsersRoutes.Users + "?handler=Cancel", [new("invitationId", benInvitationId.ToString())])).StatusCode);
        var token = BulkMarkup.InvitationToken().Match(Assert.Single(await EmailsToAsync(anna.Email)).ModelJson).Groups[1].Value;
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(anna.Client, OrganizationUsersRoutes.Invitation(token), [])).StatusCode);
        Assert.Equal(OrganizationRole.Member, (await InScopeAsync(s => s.GetRequiredService<IOrganizationsApi>().MembershipAsync(anna.UserId, CancellationToken.None)))!.Role);
        Assert.Single(await EmailsToAsync(scene.Admin.Email), e => e.Template == "organization-bulk-invite-report");
        Assert.Contains(id.ToString(), await scene.Admin.Client.GetPageAsync(OrganizationUsersRoutes.BulkInvites), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_stopped_half_way_resumes_without_sending_anything_twice()
    {
        var admin = await SignUpAsync("admin");
        var organizationId = await SetUpOrganizationAsync(admin);
        var people = new List<Person>();
        for (var i = 0; i < 4; i++)
        {
            people.Add(await SignUpAsync($"p{i}"));
        }
        var id = await UploadForReviewAsync(admin, "email,role\n" + string.Concat(people.Select(p => $"{p.Email},Member\n")));
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(admin.Client, OrganizationUsersRoutes.BulkInviteReview(id) + "?handler=Send", [])).StatusCode);

        // The state a Worker leaves when it stops: row 2's invitation committed but its email never queued, row 3's
        // email queued but the row not yet told; rows 4 and 5 untouched.
        await InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<OrganizationsDbContext>();
            var emails = s.GetRequiredService<InvitationEmails>();
            var rows = await db.BulkInviteRows.Where(r => r.BulkInviteId == id && (r.Line == 2 || r.Line == 3)).OrderBy(r => r.Line).ToListAsync();
            foreach (var row in rows)
            {
                var (token, hash) = InvitationTokens.New();
                var invitation = Invitation.Send(organizationId, row.AccountId!, row.Email, OrganizationRole.Member, admin.UserId, hash, DateTime.UtcNow);
                db.Invitations.Add(invitation);
                row.Invited(invitation.Id, token, DateTime.UtcNow);
                await db.SaveChangesAsync();
                if (row.Line == 3)
                {
                    await emails.SendAsync(invitation, "Bulk", "P", token, CancellationToken.None);
                }
            }
            return 0;
        });

        await RunJobAsync(id);

        foreach (var person in people)
        {
            var invitation = Assert.Single(await InvitationsAsync(organizationId), i => i.AccountId == person.UserId);
            var email = Assert.Single(await EmailsToAsync(person.Email));
            // The email's link is the invitation's: its token hashes to the one kept.
            Assert.Equal(invitation.TokenHash, InvitationTokens.Hash(BulkMarkup.InvitationToken().Match(email.ModelJson).Groups[1].Value));
        }
        Assert.False(await InScopeAsync(s => s.GetRequiredService<OrganizationsDbContext>().BulkInviteRows.AnyAsync(r => r.BulkInviteId == id && r.PendingToken != null)));
        Assert.Single(await EmailsToAsync(admin.Email), e => e.Template == "organization-bulk-invite-report");
    }

    [Fact]
    public async Task Only_administrators_of_that_organization_reach_the_bulk_pages_and_actions()
    {
        var scene = await SceneAsync();
        var outsider = await SignUpAsync("outsider");
        var anna = await SignUpAsync("anna");
        var id = await UploadForReviewAsync(scene.Admin, $"email,role\n{anna.Email},Member\n");
        var sentId = await UploadForReviewAsync(scene.Admin, $"email,role\n{anna.Email},Guest\n");
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(scene.Admin.Client, OrganizationUsersRoutes.BulkInviteReview(sentId) + "?handler=Send", [])).StatusCode);
        var memberId = await InScopeAsync(s => s.GetRequiredService<OrganizationsDbContext>().Memberships.Where(m => m.AccountId == scene.Member.UserId).Select(m => m.Id).SingleAsync());
        var gets = new[]
        {
            OrganizationUsersRoutes.InviteBulk, OrganizationUsersRoutes.InviteTemplate, OrganizationUsersRoutes.BulkInvites,
            OrganizationUsersRoutes.BulkInviteReview(id), OrganizationUsersRoutes.BulkInvite(sentId), OrganizationUsersRoutes.BulkInviteResults(sentId),
            OrganizationUsersRoutes.RemoveCsv, OrganizationUsersRoutes.RemoveCsv + "?handler=Template",
        };

        foreach (var (who, person) in new[] { ("member", scene.Member), ("guest", scene.Guest), ("non-member", outsider), ("another organization's administrator", scene.OtherAdmin) })
        {
            foreach (var path in gets.Where(p => who != "another organization's administrator" || p.Contains(id.ToString(), StringComparison.Ordinal) || p.Contains(sentId.ToString(), StringComparison.Ordinal)))
            {
                Assert.True(HttpStatusCode.NotFound == (await person.Client.GetAsync(path)).StatusCode, $"GET {path} as {who}");
            }
            Assert.True(HttpStatusCode.NotFound == (await PostAsync(person.Client, OrganizationUsersRoutes.BulkInviteReview(id) + "?handler=Roles", [new("roles[2]", "Guest")])).StatusCode, $"roles as {who}");
            Assert.True(HttpStatusCode.NotFound == (await PostAsync(person.Client, OrganizationUsersRoutes.BulkInviteReview(id) + "?handler=Send", [])).StatusCode, $"send as {who}");
            Assert.True(HttpStatusCode.NotFound == (await PostAsync(person.Client, OrganizationUsersRoutes.RemoveCsv + "?handler=Remove", [new("ids", memberId.ToString())])).StatusCode, $"remove as {who}");
            if (who != "another organization's administrator")
            {
                Assert.True(HttpStatusCode.NotFound == (await UploadAsync(person.Client, OrganizationUsersRoutes.InviteBulk, Encoding.UTF8.GetBytes($"email,role\n{anna.Email},Member\n"))).StatusCode, $"upload as {who}");
                Assert.True(HttpStatusCode.NotFound == (await UploadAsync(person.Client, OrganizationUsersRoutes.RemoveCsv + "?handler=Upload", Encoding.UTF8.GetBytes($"email\n{scene.Member.Email}\n"))).StatusCode, $"removal upload as {who}");
            }
        }
        // The other organization's administrator has bulk pages of their own, which never show this organization's.
        Assert.DoesNotContain(id.ToString(), await scene.OtherAdmin.Client.GetPageAsync(OrganizationUsersRoutes.BulkInvites), StringComparison.Ordinal);
        var removalReview = PortalClient.Decode(await (await UploadAsync(scene.OtherAdmin.Client, OrganizationUsersRoutes.RemoveCsv + "?handler=Upload", Encoding.UTF8.GetBytes($"email\n{scene.Member.Email}\n"))).Content.ReadAsStringAsync());
        Assert.Contains("Nobody in this file can be removed", removalReview, StringComparison.Ordinal);

        Assert.Equal(OrganizationRole.Member, (await InScopeAsync(s => s.GetRequiredService<IOrganizationsApi>().MembershipAsync(scene.Member.UserId, CancellationToken.None)))!.Role);
        Assert.Equal(["Ready"], (await ReviewAsync(scene.Admin, id)).Select(r => r.State));
        Assert.Equal(("Member", "Ready"), (await ReviewAsync(scene.Admin, id)).Select(r => (r.Role, r.State)).Single());
        foreach (var path in gets)
        {
            Assert.True(HttpStatusCode.OK == (await scene.Admin.Client.GetAsync(path)).StatusCode, $"GET {path} as the administrator");
        }
    }

    /// <summary>
    /// Four runs of the job at once (a Worker restarted while the old one still ran, a retry, the sweep): each
    /// invitation is created once. Without the claim on the rows' result (the concurrency token) every run invites.
    /// </summary>
    [Fact]
    public async Task Jobs_running_at_once_invite_each_row_once()
    {
        var admin = await SignUpAsync("admin");
        var organizationId = await SetUpOrganizationAsync(admin);
        var people = new List<Person>();
        for (var i = 0; i < 12; i++)
        {
            people.Add(await SignUpAsync($"c{i}"));
        }
        var id = await UploadForReviewAsync(admin, "email,role\n" + string.Concat(people.Select(p => $"{p.Email},Guest\n")));
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(admin.Client, OrganizationUsersRoutes.BulkInviteReview(id) + "?handler=Send", [])).StatusCode);

        using var start = new SemaphoreSlim(0);
        var runs = Enumerable.Range(0, 4).Select(_ => InScopeAsync(async s =>
        {
            var job = s.GetRequiredService<BulkInviteJob>();
            await start.WaitAsync();
            await job.RunAsync(id, CancellationToken.None);
            return 0;
        })).ToList();
        start.Release(runs.Count);
        await Task.WhenAll(runs);

        var invitations = await InvitationsAsync(organizationId);
        Assert.Equal(people.Count, invitations.Count);
        Assert.Equal(people.Select(p => p.UserId).Order(), invitations.Select(i => i.AccountId).Order());
        var emailIds = new List<Guid>();
        foreach (var person in people)
        {
            emailIds.Add(Assert.Single(await EmailsToAsync(person.Email)).Id);
        }
        // Each email is in exactly one queued sending job: no run queued another's (nor its own twice).
        Assert.Equal(emailIds.Order(), QueuedEmailSends(emailIds).Order());
        Assert.Single(await AuditAsync(organizationId), a => a.Action == AuditAction.BulkInviteFinished);
        Assert.Single(await EmailsToAsync(admin.Email), e => e.Template == "organization-bulk-invite-report");
    }

    /// <summary>The ids among <paramref name="emailIds"/> held by queued email sending jobs, once per job that holds one.</summary>
    private List<Guid> QueuedEmailSends(IReadOnlyCollection<Guid> emailIds)
    {
        var monitoring = Factory.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        return [.. monitoring.Queues()
            .SelectMany(q => monitoring.EnqueuedJobs(q.Name, 0, 100_000))
            .Select(j => j.Value.Job)
            .Where(j => j?.Type == typeof(ChaosModular.Notifications.Jobs.EmailJobs))
            .SelectMany(j => j!.Args[0] switch { Guid[] ids => ids, Guid id => [id], _ => [] })
            .Where(emailIds.Contains)];
    }

    /// <summary>A Worker that lost its queued job (in memory, a crash before the enqueue): the sweep queues it again after ten quiet minutes, and not before.</summary>
    [Fact]
    public async Task The_sweep_queues_again_a_bulk_invite_whose_job_went_quiet()
    {
        var admin = await SignUpAsync("admin");
        await SetUpOrganizationAsync(admin);
        var anna = await SignUpAsync("anna");
        var quiet = await UploadForReviewAsync(admin, $"email,role\n{anna.Email},Member\n");
        var busy = await UploadForReviewAsync(admin, $"email,role\n{anna.Email},Guest\n");
        foreach (var id in new[] { quiet, busy })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(admin.Client, OrganizationUsersRoutes.BulkInviteReview(id) + "?handler=Send", [])).StatusCode);
        }
        await InScopeAsync(s => s.GetRequiredService<OrganizationsDbContext>().BulkInvites.Where(b => b.Id == quiet)
            .ExecuteUpdateAsync(u => u.SetProperty(b => b.LastProgressUtc, DateTime.UtcNow - RunBulkInvite.Quiet - TimeSpan.FromMinutes(1))));
        int Queued(Guid id)
        {
            var monitoring = Factory.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
            return monitoring.Queues().Sum(q => monitoring.EnqueuedJobs(q.Name, 0, 1000)
                .Count(j => j.Value.Job?.Type == typeof(BulkInviteJob) && j.Value.Job.Args.Contains(id)));
        }
        Assert.Equal((1, 1), (Queued(quiet), Queued(busy)));

        await InScopeAsync(async s =>
        {
            await s.GetRequiredService<BulkInviteJob>().SweepAsync(CancellationToken.None);
            return 0;
        });

        Assert.Equal((2, 1), (Queued(quiet), Queued(busy)));
    }
}

internal static partial class BulkMarkup
{
    [GeneratedRegex(@"/organization/bulk-invites/([0-9a-f\-]{36})/review")]
    public static partial Regex ReviewPath();

    [GeneratedRegex("data-testid=\"review-row\" data-line=\"(?<line>\\d+)\" data-email=\"(?<email>[^\"]*)\" data-role=\"(?<role>[^\"]*)\" data-state=\"(?<state>[^\"]*)\"")]
    public static partial Regex ReviewRowMarkup();

    [GeneratedRegex("data-testid=\"removal-row\" data-email=\"[^\"]*\" data-state=\"([^\"]*)\"")]
    public static partial Regex RemovalRowMarkup();

    [GeneratedRegex("\"token\":\"([^\"]+)\"")]
    public static partial Regex InvitationToken();
}
