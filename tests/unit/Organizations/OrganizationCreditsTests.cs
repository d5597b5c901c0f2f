using System.Net;
using System.Text.RegularExpressions;
using ChaosModular.CloudCredits.Contracts;
using ChaosModular.Organizations.Contracts;
using ChaosModular.Organizations.Domain;
using ChaosModular.UnitTests.CloudCredits;

namespace ChaosModular.UnitTests.Organizations;

/// <summary>
/// Organization › Cloud credits through the real pipeline: administrators allocate the pool to one user or the ticked
/// ones, change and revoke (each audited); nobody else reaches it; removal ends an allocation; members and guests see
/// their part under Products › Cloud Credits.
/// </summary>
public sealed partial class OrganizationCreditsTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    private sealed record AllocationRow(string Email, string Limit, string Used);

    private static async Task<List<AllocationRow>> AllocationsAsync(CreditPoolScenario organization) =>
        [.. AllocationRowPattern().Matches(await organization.Administrator.Client.GetPageAsync(OrganizationCreditsRoutes.Credits))
            .Select(m => new AllocationRow(m.Groups["email"].Value, m.Groups["limit"].Value, m.Groups["used"].Value))];

    private static async Task<List<AuditEntry>> AuditAsync(CreditPoolScenario organization) =>
        await organization.InOrganizations(db => db.AuditEntries.AsNoTracking().Where(a => a.OrganizationId == organization.OrganizationId)
            .OrderBy(a => a.AtUtc).ToListAsync());

    [Fact]
    public async Task An_administrator_allocates_changes_and_revokes_and_each_is_in_the_audit_log()
    {
        var organization = await CreditPoolScenario.SetUpAsync(factory, pool: 500m);
        var member = await organization.JoinAsync(OrganizationRole.Member);
        var users = PortalClient.Decode(await organization.Administrator.Client.GetPageAsync(OrganizationUsersRoutes.Users));
        Assert.Contains($"href=\"{OrganizationCreditsRoutes.AllocateTo(await organization.MembershipIdAsync(member))}\"", users, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"allocate-credits\"", users, StringComparison.Ordinal);
        Assert.Contains($"formaction=\"{OrganizationCreditsRoutes.Allocate}\"", users, StringComparison.Ordinal);

        var form = PortalClient.Decode(await organization.Administrator.Client.GetPageAsync(OrganizationCreditsRoutes.AllocateTo(await organization.MembershipIdAsync(member))));
        Assert.Contains("data-testid=\"pool-available\">500<", form, StringComparison.Ordinal);
        Assert.Contains("no allocation", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await organization.AllocateAsync("100", member)).StatusCode);
        Assert.Equal([new AllocationRow(member.Email, "100", "0")], await AllocationsAsync(organization));

        await new RenderingService(factory).DebitAsync($"job-{Guid.NewGuid():N}", member.UserId, 30m);
        Assert.Equal(HttpStatusCode.Redirect, (await organization.AllocateAsync("unlimited", member)).StatusCode);
        Assert.Equal([new AllocationRow(member.Email, "unlimited", "30")], await AllocationsAsync(organization));
        var page = PortalClient.Decode(await organization.Administrator.Client.GetPageAsync(OrganizationCreditsRoutes.Credits));
        Assert.Contains("data-testid=\"pool-available\">470<", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"pool-used\">30<", page, StringComparison.Ordinal);

        var revoked = await organization.Administrator.Client.SubmitAsync(
            $"{OrganizationCreditsRoutes.Allocate}?handler=Revoke&ids={await organization.MembershipIdAsync(member)}", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Empty(await AllocationsAsync(organization));
        Assert.Contains("data-testid=\"pool-available\">470<", PortalClient.Decode(await organization.Administrator.Client.GetPageAsync(OrganizationCreditsRoutes.Credits)), StringComparison.Ordinal);

        var audit = await AuditAsync(organization);
        Assert.Equal(
            [(AuditAction.CreditsAllocated, member.Email, (string?)null, (string?)"100"),
             (AuditAction.CreditAllocationChanged, member.Email, "100", "unlimited"),
             (AuditAction.CreditAllocationRevoked, member.Email, "unlimited", "none")],
            audit.Select(a => (a.Action, a.Subjects, a.Before, a.After)));
        Assert.All(audit, a => Assert.Equal(organization.Administrator.UserId, a.ActorAccountId));
    }

    [Fact]
    public async Task Ticked_users_get_the_same_allocation_together_or_nobody_does_with_the_reason()
    {
        var organization = await CreditPoolScenario.SetUpAsync(factory, pool: 200m);
        var spender = await organization.JoinAsync(OrganizationRole.Member);
        var guest = await organization.JoinAsync(OrganizationRole.Guest);
        await organization.AllocateAsync("100", spender);
        await new RenderingService(factory).DebitAsync($"job-{Guid.NewGuid():N}", spender.UserId, 40m);
        var auditBefore = (await AuditAsync(organization)).Count;

        var below = await organization.AllocateAsync("30", spender, guest);
        Assert.Equal(HttpStatusCode.OK, below.StatusCode);
        Assert.Contains($"{spender.Email} has already used 40 credits", PortalClient.Decode(await below.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var above = await organization.AllocateAsync("200.5", spender, guest);
        Assert.Contains("the pool has 160 credits available", PortalClient.Decode(await above.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var bad = await organization.AllocateAsync("1.005", guest);
        Assert.Contains("at most 2 decimals", PortalClient.Decode(await bad.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var empty = await organization.AllocateAsync("", guest);
        Assert.Contains("Enter the number of credits, or choose unlimited.", PortalClient.Decode(await empty.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal([new AllocationRow(spender.Email, "100", "40")], await AllocationsAsync(organization));
        Assert.Equal(auditBefore, (await AuditAsync(organization)).Count);

        Assert.Equal(HttpStatusCode.Redirect, (await organization.AllocateAsync("60", spender, guest)).StatusCode);
        Assert.Equal([new AllocationRow(spender.Email, "60", "40"), new AllocationRow(guest.Email, "60", "0")], await AllocationsAsync(organization));
        var audit = (await AuditAsync(organization)).Skip(auditBefore).ToList();
        Assert.Contains(audit, a => a.Action == AuditAction.CreditsAllocated && a.Subjects == guest.Email && a.After == "60");
        Assert.Contains(audit, a => a.Action == AuditAction.CreditAllocationChanged && a.Subjects == spender.Email && a.Before == "100" && a.After == "60");

        // The bottom bar sends the ticked ids to the allocate page, which names them with their allocations.
        var review = PortalClient.Decode(await organization.Administrator.Client.GetPageAsync(
            $"{OrganizationCreditsRoutes.Allocate}?ids={await organization.MembershipIdAsync(spender)}&ids={await organization.MembershipIdAsync(guest)}"));
        Assert.Contains("Allocate to 2 users", review, StringComparison.Ordinal);
        Assert.Contains("60, 40 used", review, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_credits_route_is_not_found_for_members_guests_other_administrators_and_outsiders()
    {
        var organization = await CreditPoolScenario.SetUpAsync(factory, pool: 100m);
        var member = await organization.JoinAsync(OrganizationRole.Member);
        var guest = await organization.JoinAsync(OrganizationRole.Guest);
        await organization.AllocateAsync("10", member);
        var other = await CreditPoolScenario.SetUpAsync(factory, pool: 100m);
        var outsider = await CreditsCustomer.SignUpAsync(factory);
        var memberId = await organization.MembershipIdAsync(member);

        foreach (var (who, person) in new[] { ("member", member), ("guest", guest), ("another organization's administrator", other.Administrator), ("outsider", outsider) })
        {
            var personToken = PortalClient.HiddenFields(await person.Client.GetPageAsync("/products")).First(f => f.Key == "__RequestVerificationToken");
            if (person == other.Administrator)
            {
                // They have a Cloud credits page of their own: it never shows this organization's users.
                Assert.DoesNotContain(member.Email, await person.Client.GetPageAsync(OrganizationCreditsRoutes.Credits), StringComparison.Ordinal);
            }
            else
            {
                Assert.True(HttpStatusCode.NotFound == (await person.Client.GetAsync(OrganizationCreditsRoutes.Credits)).StatusCode, $"GET credits as {who}");
            }
            Assert.True(HttpStatusCode.NotFound == (await person.Client.GetAsync(OrganizationCreditsRoutes.AllocateTo(memberId))).StatusCode, $"GET allocate as {who}");
            foreach (var path in new[] { OrganizationCreditsRoutes.Allocate, OrganizationCreditsRoutes.Allocate + "?handler=Revoke" })
            {
                var post = await person.Client.Http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(
                    [personToken, new("ids", memberId.ToString()), new("Form.Kind", "Unlimited")]));
                Assert.True(HttpStatusCode.NotFound == post.StatusCode, $"POST {path} as {who}");
            }
        }
        Assert.Equal([new AllocationRow(member.Email, "10", "0")], await AllocationsAsync(organization));
        // Administrators are not allocated credits, even by a crafted request.
        Assert.Equal(HttpStatusCode.NotFound, (await organization.Administrator.Client.GetAsync(OrganizationCreditsRoutes.AllocateTo(await organization.MembershipIdAsync(organization.Administrator)))).StatusCode);
    }

    [Fact]
    public async Task Removing_a_user_ends_their_allocation_and_what_they_did_not_use_stays_in_the_pool()
    {
        var organization = await CreditPoolScenario.SetUpAsync(factory, pool: 500m);
        var member = await organization.JoinAsync(OrganizationRole.Member);
        var guest = await organization.JoinAsync(OrganizationRole.Guest);
        await organization.AllocateAsync("100", member, guest);
        await guest.Client.SubmitAsync("/products/cloud-credits?handler=ChoosePool", new Dictionary<string, string> { ["pool"] = "Organization" });
        var service = new RenderingService(factory);
        await RenderingService.JsonAsync(await service.DebitAsync($"job-{Guid.NewGuid():N}", member.UserId, 30m), HttpStatusCode.Created);

        foreach (var person in new[] { member, guest })
        {
            var removal = OrganizationUsersRoutes.RemoveUser(await organization.MembershipIdAsync(person));
            Assert.Equal(HttpStatusCode.Redirect, (await organization.Administrator.Client.SubmitAsync(removal, new Dictionary<string, string>())).StatusCode);
        }

        await Eventually.Until(async () => await organization.InCredits(db => db.Allocations.CountAsync(a => a.OrganizationId == organization.OrganizationId && a.Active)) == 0 ? "ended" : null,
            TimeSpan.FromSeconds(45), "the allocations ended by OrganizationMemberLeft");
        Assert.Empty(await AllocationsAsync(organization));
        Assert.Contains("data-testid=\"pool-available\">470<", PortalClient.Decode(await organization.Administrator.Client.GetPageAsync(OrganizationCreditsRoutes.Credits)), StringComparison.Ordinal);
        Assert.False(await organization.InCredits(db => db.PoolChoices.AnyAsync(c => c.UserId == guest.UserId)));
        // No longer in the organization, they render with their own credits (none).
        var refused = await RenderingService.ProblemAsync(await service.DebitAsync($"job-{Guid.NewGuid():N}", member.UserId, 1m), HttpStatusCode.Conflict);
        Assert.Contains("own credits", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(30m, await organization.PoolUsedAsync());
    }

    [Fact]
    public async Task A_member_sees_only_their_allocation_and_a_guest_their_own_credits_the_allocation_and_the_pool_choice()
    {
        var organization = await CreditPoolScenario.SetUpAsync(factory, pool: 300m);
        var member = await organization.JoinAsync(OrganizationRole.Member);
        await member.GrantAsync("Member's personal credits", 4321.75m, member.Today.AddDays(30));
        var guest = await organization.JoinAsync(OrganizationRole.Guest);
        await guest.GrantAsync("Guest's personal credits", 70m, guest.Today.AddDays(30));
        var unallocatedGuest = await organization.JoinAsync(OrganizationRole.Guest);
        await organization.AllocateAsync("120", member);
        await organization.AllocateAsync("unlimited", guest);
        await new RenderingService(factory).DebitAsync($"job-{Guid.NewGuid():N}", member.UserId, 20m);

        var memberPage = await member.CreditsPageAsync();
        Assert.Equal("120 credits", Cell(memberPage, "allocation-amount"));
        Assert.Equal(("20", "100"), (Cell(memberPage, "allocation-used"), Cell(memberPage, "allocation-left")));
        Assert.Contains(organization.Administrator.Today.AddDays(100).ToString("yyyy-MM-dd"), Cell(memberPage, "allocation-expiry"), StringComparison.Ordinal);
        Assert.DoesNotContain("Member's personal credits", memberPage, StringComparison.Ordinal);
        Assert.DoesNotContain("4,321.75", memberPage, StringComparison.Ordinal);   // grouped: cannot occur by chance in a hex id
        Assert.DoesNotContain("data-testid=\"active-pool\"", memberPage, StringComparison.Ordinal);

        var guestPage = await guest.CreditsPageAsync();
        Assert.Equal("Unlimited (up to what the organization has)", Cell(guestPage, "allocation-amount"));
        Assert.Equal("280", Cell(guestPage, "allocation-left"));
        Assert.Equal(["Guest's personal credits"], new CreditsPage(guestPage).Rows.Select(r => r["description"]));
        Assert.Contains("data-testid=\"active-pool\" data-active=\"Personal\"", guestPage, StringComparison.Ordinal);
        await guest.Client.SubmitAsync("/products/cloud-credits?handler=ChoosePool", new Dictionary<string, string> { ["pool"] = "Organization" });
        Assert.Contains("data-testid=\"active-pool\" data-active=\"Organization\"", await guest.CreditsPageAsync(), StringComparison.Ordinal);

        // A guest without an allocation cannot make the organization's pool active.
        var refused = await unallocatedGuest.Client.SubmitAsync("/products/cloud-credits?handler=ChoosePool", new Dictionary<string, string> { ["pool"] = "Organization" });
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var unallocatedPage = await unallocatedGuest.CreditsPageAsync();
        Assert.Contains("data-active=\"Personal\"", unallocatedPage, StringComparison.Ordinal);
        Assert.Contains("has not allocated cloud credits to you", unallocatedPage, StringComparison.Ordinal);
        // Only a guest chooses: a member's crafted choice changes nothing.
        await member.Client.SubmitAsync("/products/cloud-credits?handler=ChoosePool", new Dictionary<string, string> { ["pool"] = "Personal" });
        Assert.False(await organization.InCredits(db => db.PoolChoices.AnyAsync(c => c.UserId == member.UserId || c.UserId == unallocatedGuest.UserId)));
        Assert.Equal(CreditPool.Organization, await organization.InCredits(db => db.PoolChoices.Where(c => c.UserId == guest.UserId).Select(c => c.Pool).SingleAsync()));
    }

    /// <summary>The element's text as shown (HTML's whitespace collapsing, nothing else rewritten).</summary>
    private static string Cell(string html, string testId) =>
        CreditsPage.Shown(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelector($"[data-testid={testId}]")
            ?? throw new Xunit.Sdk.XunitException($"No element with data-testid={testId}"));

    [GeneratedRegex("data-testid=\"allocation-row\" data-email=\"(?<email>[^\"]*)\" data-limit=\"(?<limit>[^\"]*)\" data-used=\"(?<used>[^\"]*)\"")]
    private static partial Regex AllocationRowPattern();
}
