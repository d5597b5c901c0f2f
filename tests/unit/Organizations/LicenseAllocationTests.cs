using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using ChaosModular.Billing.Contracts;
using ChaosModular.Licensing.Contracts;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Licensing.Domain;
using ChaosModular.Licensing.IntegrationEventHandlers;
using ChaosModular.Organizations.Contracts;
using ChaosModular.Organizations.Data;
using ChaosModular.Organizations.Domain;
using ChaosModular.Subscriptions.Contracts.Events;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.Licensing;
using ChaosModular.UnitTests.Subscriptions;

namespace ChaosModular.UnitTests.Organizations;

/// <summary>The embedded portal with its jobs (the outbox handlers that end a leaving user's allocations) in Web.</summary>
public sealed class AllocationPortalFactory : SqlitePortalFactory;

/// <summary>
/// Organization › Products through the real pipeline: administrators allocate the organization account's licenses to
/// one user, to ticked users and from a file, all or nothing; revoke; removal gives the seats back; members see only
/// their allocations, guests both; nobody but that organization's administrators reaches any of it.
/// </summary>
public sealed partial class LicenseAllocationTests(AllocationPortalFactory factory) : IClassFixture<AllocationPortalFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private sealed record Org(ServerAccount Admin, Guid Id, string Name)
    {
        public PortalClient Client => Admin.Customer.Client;
    }

    private sealed record Person(BillingCustomer Customer, Guid MembershipId)
    {
        public PortalClient Client => Customer.Client;
        public string Email => Customer.Email;
        public string UserId => Customer.UserId;
    }

    private sealed record AllocationRow(Guid Id, string Email, string Product, int Seats, string Expires);

    private DateOnly Today => factory.Services.GetRequiredService<TimeProvider>().Today();

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>What support sets up: an organization for the account, which is its administrator and owns the licenses.</summary>
    private async Task<Org> OrganizationAsync(string? name = null)
    {
        var admin = await ServerAccount.SignUpAsync(factory);
        name ??= $"Studio {Guid.NewGuid():N}"[..20];
        return new Org(admin, await OrganizationSetUp.ForAsync(factory, admin, name), name);
    }

    private async Task<Person> JoinAsync(Org org, OrganizationRole role = OrganizationRole.Member)
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);
        return new Person(customer, await OrganizationSetUp.JoinAsync(factory, org.Id, customer, role));
    }

    private Task<License> LicenseAsync(Guid licenseId) => factory.InLicensing(db => db.Licenses.AsNoTracking().SingleAsync(l => l.Id == licenseId));

    private Task<List<Allocation>> AllocationsOfAsync(Guid licenseId) =>
        factory.InLicensing(db => db.Allocations.AsNoTracking().Where(a => a.LicenseId == licenseId).ToListAsync());

    private async Task<List<AuditEntry>> AuditAsync(Guid organizationId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>().AuditEntries.AsNoTracking()
            .Where(a => a.OrganizationId == organizationId).ToListAsync();
    }

    private static async Task<List<AllocationRow>> ProductsPageAsync(Org org) =>
        [.. AllocationRowPattern().Matches(await org.Client.GetPageAsync(OrganizationProductsRoutes.Products))
            .Select(m => new AllocationRow(Guid.Parse(m.Groups["id"].Value), WebUtility.HtmlDecode(m.Groups["email"].Value), m.Groups["product"].Value,
                int.Parse(m.Groups["seats"].Value, CultureInfo.InvariantCulture), m.Groups["expires"].Value))];

    private static Task<HttpResponseMessage> AllocateToAsync(Org org, Person person, IDictionary<string, int> seats, DateOnly until)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var (product, count) in seats)
        {
            fields.Add(new("Form.Products", product));
            fields.Add(new($"Form.Seats[{product}]", count.ToString(CultureInfo.InvariantCulture)));
        }
        fields.Add(new("Form.ExpiresOn", Day(until)));
        return PostAsync(org.Client, OrganizationProductsRoutes.AllocateToUser(person.MembershipId), fields);
    }

    /// <summary>A POST with a valid antiforgery token taken from a page the user may see, as a crafted form would send.</summary>
    private static async Task<HttpResponseMessage> PostAsync(PortalClient client, string path, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var token = PortalClient.HiddenFields(await client.GetPageAsync("/products")).First(f => f.Key == "__RequestVerificationToken");
        return await client.Http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent([token, .. fields]));
    }

    private static string Ids(params Person[] people) => string.Join("&", people.Select(p => $"Ids={p.MembershipId}"));

    [Fact]
    public async Task An_administrator_allocates_a_product_to_one_user_from_the_users_list()
    {
        var org = await OrganizationAsync("Allocation Studio");
        var licenseId = await org.Admin.LicenseAsync(seats: 3, plan: "vray-premium-annual");
        var member = await JoinAsync(org);
        var users = PortalClient.Decode(await org.Client.GetPageAsync(OrganizationUsersRoutes.Users));
        Assert.Contains($"href=\"{OrganizationProductsRoutes.AllocateToUser(member.MembershipId)}\"", users, StringComparison.Ordinal);
        var form = PortalClient.Decode(await org.Client.GetPageAsync(OrganizationProductsRoutes.AllocateToUser(member.MembershipId)));
        Assert.Contains($"Allocate products to {member.Email}", form, StringComparison.Ordinal);
        Assert.Contains("data-product=\"vray-premium\"", form, StringComparison.Ordinal);

        var response = await AllocateToAsync(org, member, new Dictionary<string, int> { ["vray-premium"] = 2 }, Today.AddDays(30));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var license = await LicenseAsync(licenseId);
        Assert.Equal((2, 1), (license.Allocated, license.Availability.Available));
        var allocation = Assert.Single(await AllocationsOfAsync(licenseId));
        Assert.Equal((member.UserId, 2, Today.AddDays(30), org.Id), (allocation.UserId, allocation.Seats, allocation.ExpiresOn, allocation.OrganizationId));
        var row = Assert.Single(await ProductsPageAsync(org));
        Assert.Equal((member.Email, "vray-premium", 2, Day(Today.AddDays(30))), (row.Email, row.Product, row.Seats, row.Expires));
        Assert.Contains("data-allocated=\"2\" data-free=\"1\"", await org.Client.GetPageAsync(OrganizationProductsRoutes.Products), StringComparison.Ordinal);
        Assert.Contains("V-Ray Premium ×2", PortalClient.Decode(await org.Client.GetPageAsync(OrganizationUsersRoutes.Users)), StringComparison.Ordinal);
        var audit = Assert.Single(await AuditAsync(org.Id), a => a.Action == AuditAction.LicenseAllocated);
        Assert.Equal((member.Email, org.Admin.UserId), (audit.Subjects, audit.ActorAccountId));
        Assert.Contains("V-Ray Premium ×2 until", audit.After, StringComparison.Ordinal);
        // The organization's own servers and borrows no longer see the allocated seats as free.
        Assert.Equal(1, (await org.Admin.LicenseOfAsync(licenseId)).Availability.Available);
    }

    [Fact]
    public async Task The_expiration_date_cannot_pass_the_license_nor_be_in_the_past_and_nothing_is_allocated()
    {
        var org = await OrganizationAsync();
        var licenseId = await org.Admin.LicenseAsync(seats: 3, plan: "vray-premium-annual");
        var member = await JoinAsync(org);
        var last = (await LicenseAsync(licenseId)).ExpiresOn;

        var late = await AllocateToAsync(org, member, new Dictionary<string, int> { ["vray-premium"] = 1 }, last.AddDays(1));
        var past = await AllocateToAsync(org, member, new Dictionary<string, int> { ["vray-premium"] = 1 }, Today.AddDays(-1));

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Contains($"is after the license's last day, {Day(last)}", PortalClient.Decode(await late.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Contains("is in the past", PortalClient.Decode(await past.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Empty(await AllocationsOfAsync(licenseId));
        Assert.Equal(0, (await LicenseAsync(licenseId)).Allocated);
        Assert.DoesNotContain(await AuditAsync(org.Id), a => a.Action == AuditAction.LicenseAllocated);
    }

    [Fact]
    public async Task Ticked_users_get_the_products_through_the_steps_of_assign_products()
    {
        var org = await OrganizationAsync();
        var premium = await org.Admin.LicenseAsync(seats: 5, plan: "vray-premium-annual");
        var solo = await org.Admin.LicenseAsync(seats: 5, plan: "vray-solo-annual");
        var anna = await JoinAsync(org);
        var ben = await JoinAsync(org, OrganizationRole.Guest);
        var start = OrganizationProductsRoutes.Assign + "?" + Ids(anna, ben);
        // Manual selection from the Products page lists the members and guests to tick; the Users list's bottom bar sends the ticked ones here.
        var pick = await org.Client.GetPageAsync(OrganizationProductsRoutes.Assign);
        Assert.Contains($"value=\"{anna.MembershipId}\"", pick, StringComparison.Ordinal);
        Assert.Contains($"value=\"{ben.MembershipId}\"", pick, StringComparison.Ordinal);
        Assert.Contains($"formaction=\"{OrganizationProductsRoutes.Assign}\"", await org.Client.GetPageAsync(OrganizationUsersRoutes.Users), StringComparison.Ordinal);

        Assert.Contains("Continue with 2 users", await org.Client.GetPageAsync(start), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"product-choices\"", await org.Client.GetPageAsync(start + "&Step=Products"), StringComparison.Ordinal);
        var chosen = start + "&Form.Products=vray-premium&Form.Seats[vray-premium]=2&Form.Products=vray-solo";
        Assert.Contains("Continue with 2 products", await org.Client.GetPageAsync(chosen + "&Step=Date"), StringComparison.Ordinal);
        var review = chosen + $"&Step=Review&Form.ExpiresOn={Day(Today.AddDays(60))}";
        Assert.Contains("Assign to 2 users", await org.Client.GetPageAsync(review), StringComparison.Ordinal);

        var response = await org.Client.SubmitAsync(review, new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(4, (await LicenseAsync(premium)).Allocated);
        Assert.Equal(2, (await LicenseAsync(solo)).Allocated);
        var rows = await ProductsPageAsync(org);
        Assert.Equal(4, rows.Count);
        // The emails are random, so both sides are put in the same order before they are compared.
        (string Email, string Product, int Seats)[] expected = [(anna.Email, "vray-premium", 2), (anna.Email, "vray-solo", 1), (ben.Email, "vray-premium", 2), (ben.Email, "vray-solo", 1)];
        Assert.Equal(expected.OrderBy(r => r.Email, StringComparer.Ordinal).ThenBy(r => r.Product, StringComparer.Ordinal),
            rows.Select(r => (r.Email, r.Product, r.Seats)).OrderBy(r => r.Email, StringComparer.Ordinal).ThenBy(r => r.Product, StringComparer.Ordinal));
        Assert.Contains(await AuditAsync(org.Id), a => a.Action == AuditAction.LicenseAllocated && a.SubjectCount == 2);
    }

    [Fact]
    public async Task A_bulk_request_that_does_not_fit_is_refused_whole_with_the_shortfall_per_product()
    {
        var org = await OrganizationAsync();
        var premium = await org.Admin.LicenseAsync(seats: 2, plan: "vray-premium-annual");
        var solo = await org.Admin.LicenseAsync(seats: 5, plan: "vray-solo-annual");
        var people = new[] { await JoinAsync(org), await JoinAsync(org), await JoinAsync(org) };
        var review = OrganizationProductsRoutes.Assign + "?" + Ids(people) + $"&Form.Products=vray-premium&Form.Products=vray-solo&Step=Review&Form.ExpiresOn={Day(Today.AddDays(10))}";

        var response = await org.Client.SubmitAsync(review, new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalClient.Decode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Nothing was allocated", page, StringComparison.Ordinal);
        Assert.Contains("V-Ray Premium: 1 more seat needed, 2 free.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("V-Ray Solo:", page, StringComparison.Ordinal);
        Assert.Equal((0, 0), ((await LicenseAsync(premium)).Allocated, (await LicenseAsync(solo)).Allocated));
        Assert.Empty(await AllocationsOfAsync(premium));
        Assert.Empty(await AllocationsOfAsync(solo));
        Assert.DoesNotContain(await AuditAsync(org.Id), a => a.Action == AuditAction.LicenseAllocated);
    }

    private static async Task<HttpResponseMessage> UploadAsync(PortalClient client, string csv)
    {
        var token = PortalClient.HiddenFields(await client.GetPageAsync(OrganizationProductsRoutes.AssignCsv)).First(f => f.Key == "__RequestVerificationToken");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token.Value), token.Key },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "Upload", "allocations.csv");
        return await client.Http.PostAsync(new Uri(OrganizationProductsRoutes.AssignCsv + "?handler=Upload", UriKind.Relative), content);
    }

    [Fact]
    public async Task A_csv_file_is_reviewed_row_by_row_then_allocated_one_seat_per_row()
    {
        var org = await OrganizationAsync();
        var premium = await org.Admin.LicenseAsync(seats: 3, plan: "vray-premium-annual");
        var anna = await JoinAsync(org);
        var ben = await JoinAsync(org, OrganizationRole.Guest);
        var template = await org.Client.GetAsync(OrganizationProductsRoutes.AssignCsvTemplate);
        Assert.Equal("text/csv", template.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("email,product,expires", await template.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var until = Day(Today.AddDays(20));

        var bad = PortalClient.Decode(await (await UploadAsync(org.Client, $"email,product,expires\n{anna.Email},vray-premium,{until}\nnobody@example.com,vray-premium,{until}\n")).Content.ReadAsStringAsync());
        Assert.Contains("data-state=\"NotInOrganization\"", bad, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"csv-assign\"", bad, StringComparison.Ordinal);
        Assert.Contains("The first line must be the header", PortalClient.Decode(await (await UploadAsync(org.Client, "email\nx\n")).Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var reviewed = await UploadAsync(org.Client, $"\uFEFFemail;product;expires\r\n{anna.Email};V-Ray Premium;{until}\r\n\r\n{ben.Email.ToUpperInvariant()};vray-premium;{until}\r\n");
        var html = await reviewed.Content.ReadAsStringAsync();
        Assert.Equal(2, Regex.Count(html, "data-state=\"Ready\""));
        Assert.Contains("Assign 2 seat(s)", html, StringComparison.Ordinal);
        var confirm = await org.Client.Http.PostAsync(new Uri(OrganizationProductsRoutes.AssignCsv + "?handler=Assign", UriKind.Relative),
            new FormUrlEncodedContent(PortalClient.HiddenFields(html).DistinctBy(f => f.Key)));

        Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
        Assert.Equal(2, (await LicenseAsync(premium)).Allocated);
        Assert.Equal(new[] { anna.Email, ben.Email }.Order(StringComparer.Ordinal), (await ProductsPageAsync(org)).Select(r => r.Email).Order(StringComparer.Ordinal));
        Assert.Empty(await factory.InLicensing(db => db.Allocations.Where(a => a.LicenseId == premium && a.ExpiresOn != Today.AddDays(20)).ToListAsync()));

        // A long file's review carries four hidden fields a row back: 300 rows are more than the 1,024 form values
        // ASP.NET Core reads by default, and still come back reviewed (here: nobody of them is in the organization).
        var token = PortalClient.HiddenFields(html).First(f => f.Key == "__RequestVerificationToken");
        var many = Enumerable.Range(0, 300).SelectMany(i => new KeyValuePair<string, string>[]
        {
            new($"Rows[{i}].Line", (i + 2).ToString(System.Globalization.CultureInfo.InvariantCulture)), new($"Rows[{i}].Email", $"nobody{i}@example.com"),
            new($"Rows[{i}].Product", "vray-premium"), new($"Rows[{i}].Expires", until),
        });
        var large = await org.Client.Http.PostAsync(new Uri(OrganizationProductsRoutes.AssignCsv + "?handler=Assign", UriKind.Relative), new FormUrlEncodedContent([token, .. many]));
        Assert.Equal(HttpStatusCode.OK, large.StatusCode);
        Assert.Equal(300, Regex.Count(await large.Content.ReadAsStringAsync(), "data-state=\"NotInOrganization\""));
        Assert.Equal(2, (await LicenseAsync(premium)).Allocated);
    }

    [Fact]
    public async Task Revoking_frees_the_seats_once_and_is_audited()
    {
        var org = await OrganizationAsync();
        var premium = await org.Admin.LicenseAsync(seats: 2, plan: "vray-premium-annual");
        var member = await JoinAsync(org);
        await AllocateToAsync(org, member, new Dictionary<string, int> { ["vray-premium"] = 2 }, Today.AddDays(5));
        var row = Assert.Single(await ProductsPageAsync(org));

        var revoked = await org.Client.SubmitAsync(OrganizationProductsRoutes.Products + "?handler=Revoke", new Dictionary<string, string> { ["allocationId"] = row.Id.ToString() });
        var again = await PostAsync(org.Client, OrganizationProductsRoutes.Products + "?handler=Revoke", [new("allocationId", row.Id.ToString())]);

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal((0, 2), ((await LicenseAsync(premium)).Allocated, (await LicenseAsync(premium)).Availability.Available));
        Assert.Equal(AllocationEnded.Revoked, Assert.Single(await AllocationsOfAsync(premium)).EndReason);
        Assert.Empty(await ProductsPageAsync(org));
        Assert.Single(await AuditAsync(org.Id), a => a.Action == AuditAction.LicenseAllocationRevoked && a.Subjects == member.Email);
        Assert.DoesNotContain("data-testid=\"allocation-row\"", await member.Client.GetPageAsync(LicensingRoutes.Licenses), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_a_user_ends_their_allocations_and_the_seats_return_to_the_pool()
    {
        var org = await OrganizationAsync();
        var premium = await org.Admin.LicenseAsync(seats: 3, plan: "vray-premium-annual");
        var leaving = await JoinAsync(org);
        var staying = await JoinAsync(org);
        await AllocateToAsync(org, leaving, new Dictionary<string, int> { ["vray-premium"] = 2 }, Today.AddDays(5));
        await AllocateToAsync(org, staying, new Dictionary<string, int> { ["vray-premium"] = 1 }, Today.AddDays(5));
        Assert.Equal(0, (await LicenseAsync(premium)).Availability.Available);

        var removed = await org.Client.SubmitAsync(OrganizationUsersRoutes.RemoveUser(leaving.MembershipId), new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        await Eventually.Until(async () => (await LicenseAsync(premium)).Allocated == 1 ? "returned" : null, Patience, "the leaving user's seats back in the pool");
        var allocations = await AllocationsOfAsync(premium);
        Assert.Equal(AllocationEnded.MemberLeft, allocations.Single(a => a.UserId == leaving.UserId).EndReason);
        Assert.Null(allocations.Single(a => a.UserId == staying.UserId).EndReason);
        Assert.Equal(2, (await LicenseAsync(premium)).Availability.Available);
        Assert.Equal([staying.Email], (await ProductsPageAsync(org)).Select(r => r.Email));

        // The event delivered again (the outbox is at least once) ends nothing more.
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AllocationsEndWhenMemberLeaves>().HandleAsync(
            new ChaosModular.Organizations.Contracts.Events.OrganizationMemberLeft(Guid.NewGuid(), DateTime.UtcNow, org.Id, org.Admin.UserId, leaving.MembershipId, leaving.UserId, leaving.Email),
            CancellationToken.None);
        Assert.Equal(1, (await LicenseAsync(premium)).Allocated);
    }

    /// <summary>A personal subscription of the member's own account, with its license.</summary>
    private async Task GivePersonalLicenseAsync(Person person, string plan)
    {
        var subscriptionId = await person.Customer.GiveSubscriptionAsync(plan, "EUR", 1, Today.AddDays(-10));
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LicenseFollowsSubscription>().HandleAsync(
            new SubscriptionCreated(Guid.NewGuid(), DateTime.UtcNow, subscriptionId, person.UserId, plan, 1, default), CancellationToken.None);
    }

    [Fact]
    public async Task A_member_sees_only_the_allocation_and_a_guest_sees_personal_products_and_the_allocation()
    {
        var org = await OrganizationAsync("Visible Studio");
        await org.Admin.LicenseAsync(seats: 4, plan: "vray-premium-annual");
        var member = await JoinAsync(org);
        var guest = await JoinAsync(org, OrganizationRole.Guest);
        await GivePersonalLicenseAsync(member, "corona-solo-annual");
        await GivePersonalLicenseAsync(guest, "corona-solo-annual");
        foreach (var person in new[] { member, guest })
        {
            await AllocateToAsync(org, person, new Dictionary<string, int> { ["vray-premium"] = 1 }, Today.AddDays(15));
        }

        var memberLicensing = PortalClient.Decode(await member.Client.GetPageAsync(LicensingRoutes.Licenses));
        var memberProducts = PortalClient.Decode(await member.Client.GetPageAsync("/products"));
        foreach (var page in new[] { memberLicensing, memberProducts })
        {
            Assert.Contains("from Visible Studio", page, StringComparison.Ordinal);
            Assert.Contains("V-Ray Premium", page, StringComparison.Ordinal);
            Assert.DoesNotContain("Corona Solo", page, StringComparison.Ordinal);
        }
        Assert.Contains($"data-testid=\"allocation-row\" data-product=\"vray-premium\" data-seats=\"1\"", memberLicensing, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"license-row\"", memberLicensing, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"subscription-row\"", memberProducts, StringComparison.Ordinal);
        Assert.DoesNotContain("Corona Solo", PortalClient.Decode(await member.Client.GetPageAsync("/products/expired")), StringComparison.Ordinal);

        var guestLicensing = PortalClient.Decode(await guest.Client.GetPageAsync(LicensingRoutes.Licenses));
        var guestProducts = PortalClient.Decode(await guest.Client.GetPageAsync("/products"));
        foreach (var page in new[] { guestLicensing, guestProducts })
        {
            Assert.Contains("from Visible Studio", page, StringComparison.Ordinal);
            Assert.Contains("V-Ray Premium", page, StringComparison.Ordinal);
            Assert.Contains("Corona Solo", page, StringComparison.Ordinal);
        }
        Assert.Contains("data-testid=\"license-row\"", guestLicensing, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"subscription-row\"", guestProducts, StringComparison.Ordinal);
        // The organization account itself keeps seeing its licenses, with the allocated seats counted.
        Assert.Contains("data-allocated=\"2\"", await org.Client.GetPageAsync(LicensingRoutes.Licenses), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_under_billing_of_a_member_belongs_to_the_organization()
    {
        var org = await OrganizationAsync();
        var invoice = await org.Admin.Customer.InvoiceAsync("EUR", 470m);
        var member = await JoinAsync(org);
        var guest = await JoinAsync(org, OrganizationRole.Guest);
        Assert.Contains(invoice.Number, await org.Client.GetPageAsync(BillingRoutes.Invoices), StringComparison.Ordinal);

        foreach (var person in new[] { member, guest })
        {
            foreach (var path in new[] { BillingRoutes.Invoices, BillingRoutes.Invoices + "?status=Unpaid", BillingRoutes.PaymentMethods, BillingRoutes.Information })
            {
                Assert.DoesNotContain(invoice.Number, await person.Client.GetPageAsync(path), StringComparison.Ordinal);
            }
            Assert.NotEqual(HttpStatusCode.OK, (await person.Client.GetAsync(BillingRoutes.InvoicePdf(invoice.InvoiceId))).StatusCode);
        }
    }

    [Fact]
    public async Task Only_administrators_of_that_organization_reach_its_product_pages_and_actions()
    {
        var org = await OrganizationAsync();
        var premium = await org.Admin.LicenseAsync(seats: 3, plan: "vray-premium-annual");
        var member = await JoinAsync(org);
        var guest = await JoinAsync(org, OrganizationRole.Guest);
        await AllocateToAsync(org, member, new Dictionary<string, int> { ["vray-premium"] = 1 }, Today.AddDays(5));
        var allocation = Assert.Single(await ProductsPageAsync(org));
        var outsider = (await BillingCustomer.SignUpAsync(factory, card: null)).Client;
        var other = await OrganizationAsync();
        await other.Admin.LicenseAsync(seats: 3, plan: "vray-premium-annual");
        var until = Day(Today.AddDays(5));
        var allocateFields = new Dictionary<string, string> { ["Form.Products"] = "vray-premium", ["Form.ExpiresOn"] = until };
        var assignToMember = OrganizationProductsRoutes.Assign + "?" + Ids(member) + $"&Form.Products=vray-premium&Step=Review&Form.ExpiresOn={until}";

        foreach (var (who, client) in new[] { ("member", member.Client), ("guest", guest.Client), ("outsider", outsider), ("another organization's administrator", other.Client) })
        {
            var gets = new List<string> { OrganizationProductsRoutes.AllocateToUser(member.MembershipId), OrganizationProductsRoutes.Assign + "?" + Ids(member), assignToMember };
            if (client != other.Client)
            {
                gets.AddRange([OrganizationProductsRoutes.Products, OrganizationProductsRoutes.Assign, OrganizationProductsRoutes.AssignCsv, OrganizationProductsRoutes.AssignCsvTemplate]);
            }
            foreach (var path in gets)
            {
                Assert.True(HttpStatusCode.NotFound == (await client.GetAsync(path)).StatusCode, $"GET {path} as {who}");
            }
            var posts = new List<(string Path, Dictionary<string, string> Fields)>
            {
                (OrganizationProductsRoutes.AllocateToUser(member.MembershipId), allocateFields),
                (assignToMember, []),
                (OrganizationProductsRoutes.Products + "?handler=Revoke", new() { ["allocationId"] = allocation.Id.ToString() }),
            };
            if (client != other.Client)
            {
                posts.Add((OrganizationProductsRoutes.AssignCsv + "?handler=Assign", new() { ["Rows[0].Line"] = "2", ["Rows[0].Email"] = member.Email, ["Rows[0].Product"] = "vray-premium", ["Rows[0].Expires"] = until }));
                posts.Add((OrganizationProductsRoutes.AssignCsv + "?handler=Upload", []));
            }
            foreach (var (path, fields) in posts)
            {
                Assert.True(HttpStatusCode.NotFound == (await PostAsync(client, path, fields)).StatusCode, $"POST {path} as {who}");
            }
        }
        // Another organization's administrator has product pages of their own: they never show or touch this organization.
        Assert.DoesNotContain(member.Email, await other.Client.GetPageAsync(OrganizationProductsRoutes.Products), StringComparison.Ordinal);
        var license = await LicenseAsync(premium);
        Assert.Equal(1, license.Allocated);
        Assert.Null(Assert.Single(await AllocationsOfAsync(premium)).EndReason);
        Assert.Equal(HttpStatusCode.OK, (await org.Client.GetAsync(OrganizationProductsRoutes.Products)).StatusCode);
    }

    [GeneratedRegex("data-testid=\"allocation-row\" data-allocation=\"(?<id>[^\"]+)\" data-email=\"(?<email>[^\"]*)\" data-product=\"(?<product>[^\"]*)\" data-seats=\"(?<seats>\\d+)\" data-expires=\"(?<expires>[^\"]*)\"")]
    private static partial Regex AllocationRowPattern();
}
