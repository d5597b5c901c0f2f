using System.Globalization;
using System.Text.RegularExpressions;
using ChaosModular.CloudCredits.Contracts;
using ChaosModular.CloudCredits.Data;
using ChaosModular.CloudCredits.Domain;
using ChaosModular.Licensing.Data;
using ChaosModular.Licensing.Domain;
using ChaosModular.Organizations.Contracts;
using ChaosModular.Organizations.Data;
using ChaosModular.Organizations.Domain;
using ChaosModular.UnitTests.CloudCredits;
using ChaosModular.UnitTests.Licensing;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Http;

/// <summary>The portal on 2 July 2026, 10:00 UTC.</summary>
public sealed class ChartsPortalFactory : SqlitePortalFactory
{
    public static readonly DateTime Now = new(2026, 7, 2, 10, 0, 0, DateTimeKind.Utc);

    public ChartsPortalFactory() => Clock = new FakeTimeProvider(new DateTimeOffset(Now));
}

/// <summary>
/// The charts (Cloud Credits per month, a license's seats in use, Organization › Products allocation): each is an SVG image
/// with an accessible name, and its numbers are the seeded data's, also given as a table.
/// </summary>
public sealed partial class ChartsTests(ChartsPortalFactory factory) : IClassFixture<ChartsPortalFactory>
{
    /// <summary>The chart's table rows: label and the value of each series, as the page writes them (invariant numbers).</summary>
    private static List<(string Label, string[] Values)> TableOf(string html, string chartId)
    {
        var start = html.IndexOf($"data-testid=\"{chartId}-table\"", StringComparison.Ordinal);
        Assert.True(start > 0, $"{chartId} has no table");
        var table = html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
        return [.. RowPattern().Matches(table).Select(m => (m.Groups["label"].Value,
            ValuePattern().Matches(m.Groups["cells"].Value).Select(v => v.Groups["v"].Value).ToArray()))];
    }

    private static void AssertAccessibleSvg(string html, string chartId, string title)
    {
        Assert.Contains($"role=\"img\" aria-labelledby=\"{chartId}-title\" aria-describedby=\"{chartId}-desc\"", html, StringComparison.Ordinal);
        Assert.Contains($"<title id=\"{chartId}-title\">{title}</title>", html, StringComparison.Ordinal);
        Assert.Contains("<summary class=\"small\">Show as table</summary>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cloud_credits_show_the_credits_used_in_each_of_the_last_12_months_with_zero_months()
    {
        var customer = await CreditsCustomer.SignUpAsync(factory);
        var other = await CreditsCustomer.SignUpAsync(factory);
        await customer.GrantAsync("Included with V-Ray Premium annual", 5000m, customer.Today.AddDays(100));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloudCreditsDbContext>();
            void Debit(CreditsCustomer who, decimal credits, DateTime at) => db.Debits.Add(CreditDebit.Record("cloud", Guid.NewGuid().ToString("N"), who.UserId, who.UserId,
                CreditPool.Personal, who.UserId, null, credits, "Render job", at));
            Debit(customer, 999m, new DateTime(2025, 7, 31, 23, 59, 0, DateTimeKind.Utc));   // the month before the window
            Debit(customer, 7m, new DateTime(2025, 8, 1, 0, 0, 0, DateTimeKind.Utc));          // the first month of the window
            Debit(customer, 100m, new DateTime(2026, 1, 20, 12, 0, 0, DateTimeKind.Utc));
            Debit(customer, 10m, new DateTime(2026, 7, 1, 8, 0, 0, DateTimeKind.Utc));
            Debit(customer, 5.5m, new DateTime(2026, 7, 2, 9, 0, 0, DateTimeKind.Utc));
            Debit(other, 50m, new DateTime(2026, 7, 1, 8, 0, 0, DateTimeKind.Utc));           // someone else's use
            await db.SaveChangesAsync();
        }

        var html = PortalClient.Decode(await customer.Client.GetPageAsync("/products/cloud-credits"));

        AssertAccessibleSvg(html, "credits-chart", "Cloud credits used per month");
        var expected = new (string, string)[]
        {
            ("Aug 2025", "7"), ("Sep 2025", "0"), ("Oct 2025", "0"), ("Nov 2025", "0"), ("Dec 2025", "0"), ("Jan 2026", "100"),
            ("Feb 2026", "0"), ("Mar 2026", "0"), ("Apr 2026", "0"), ("May 2026", "0"), ("Jun 2026", "0"), ("Jul 2026", "15.5"),
        };
        Assert.Equal(expected, TableOf(html, "credits-chart").Select(r => (r.Label, Assert.Single(r.Values))));
        Assert.Equal(["7", "0", "0", "0", "0", "100", "0", "0", "0", "0", "0", "15.5"], BarValues(html, "credits-chart"));
        Assert.Contains("122.5 in all", html, StringComparison.Ordinal);
        // Next to the balances, before the grants.
        Assert.InRange(html.IndexOf("data-testid=\"credits-chart\"", StringComparison.Ordinal),
            html.IndexOf("data-testid=\"credits-used\"", StringComparison.Ordinal), html.IndexOf("data-testid=\"credits-table\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_license_page_shows_the_most_seats_in_use_on_each_of_the_last_30_days()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var stranger = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: 5);
        var day = (int month, int d, int h) => new DateTime(2026, month, d, h, 0, 0, DateTimeKind.Utc);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LicensingDbContext>();
            var server = LicenseServer.Activate(account.UserId, "srv-" + Guid.NewGuid().ToString("N")[..6], "Render farm",
                "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), ActivationMode.Online, day(5, 1, 8));
            db.Servers.Add(server);
            var old = Lease.Take(licenseId, server.Id, account.UserId, 4, ActivationMode.Online, day(5, 1, 9), day(5, 1, 10));
            var first = Lease.Take(licenseId, server.Id, account.UserId, 2, ActivationMode.Online, day(6, 10, 9), day(6, 10, 10));
            var second = Lease.Take(licenseId, server.Id, account.UserId, 1, ActivationMode.Online, day(6, 11, 8), day(7, 2, 11));
            var borrow = Borrow.Take(licenseId, account.UserId, 1, "laptop", day(7, 1, 15), day(7, 5, 23));
            borrow.Sign("{}");
            var strangers = Lease.Take(licenseId, server.Id, stranger.UserId, 3, ActivationMode.Online, day(6, 20, 9), day(6, 20, 10));
            db.Leases.AddRange(old, first, second, strangers);
            db.Borrows.Add(borrow);
            await db.SaveChangesAsync();
            await db.Leases.Where(l => l.Id == old.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.EndedUtc, day(5, 20, 0)));
            await db.Leases.Where(l => l.Id == first.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.EndedUtc, day(6, 12, 12)));
        }

        var html = PortalClient.Decode(await account.Customer.Client.GetPageAsync($"/licensing/licenses/{licenseId}"));

        AssertAccessibleSvg(html, "seats-chart", "Seats of V-Ray Solo in use over the last 30 days");
        var rows = TableOf(html, "seats-chart");
        Assert.Equal(30, rows.Count);
        Assert.Equal(("2026-06-03", "2026-07-02"), (rows[0].Label, rows[^1].Label));
        int Seats(string label) => int.Parse(Assert.Single(rows.Single(r => r.Label == label).Values), CultureInfo.InvariantCulture);
        Assert.Equal(0, Seats("2026-06-09"));
        Assert.Equal(2, Seats("2026-06-10"));
        Assert.Equal(3, Seats("2026-06-11"));   // 2 held all day, 1 more from 08:00
        Assert.Equal(3, Seats("2026-06-12"));   // until the first lease ended at noon
        Assert.Equal(1, Seats("2026-06-13"));
        Assert.Equal(1, Seats("2026-06-20"));   // another customer's lease of the same license id is not theirs
        Assert.Equal(2, Seats("2026-07-01"));   // the borrow from 15:00
        Assert.Equal(2, Seats("2026-07-02"));
        Assert.Equal(rows.Select(r => r.Values[0]), BarValues(html, "seats-chart"));
        Assert.Contains("of 5 seat(s); the highest was 3.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Organization_products_chart_allocated_seats_next_to_the_seats_of_each_product()
    {
        var admin = await ServerAccount.SignUpAsync(factory);
        await admin.LicenseAsync(seats: 5, plan: "vray-premium-annual");
        await admin.LicenseAsync(seats: 3, plan: "corona-solo-monthly");
        await admin.LicenseAsync(seats: 2, plan: "vray-premium-annual");
        var member = await ServerAccount.SignUpAsync(factory);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>();
            var organization = Organization.SetUp(admin.UserId, $"Chart Studio {Guid.NewGuid():N}"[..24], "support-test", DateTime.UtcNow);
            db.Organizations.Add(organization);
            db.Memberships.Add(Membership.Join(organization.Id, admin.UserId, admin.Customer.Email, OrganizationRole.Administrator, DateTime.UtcNow));
            db.Memberships.Add(Membership.Join(organization.Id, member.UserId, member.Customer.Email, OrganizationRole.Member, DateTime.UtcNow));
            await db.SaveChangesAsync();
            var licensing = scope.ServiceProvider.GetRequiredService<ChaosModular.Licensing.Contracts.ILicenseAllocationsApi>();
            var outcome = await licensing.AllocateAsync(new ChaosModular.Licensing.Contracts.AllocationRequest(admin.UserId, organization.Id, admin.UserId,
                [new(member.UserId, member.Customer.Email, "vray-premium", 4, DateOnly.FromDateTime(ChartsPortalFactory.Now).AddDays(30))]), CancellationToken.None);
            Assert.True(outcome.Succeeded, string.Join("; ", outcome.Problems.Concat(outcome.Shortfalls.Select(s => s.Message))));
        }

        var html = PortalClient.Decode(await admin.Customer.Client.GetPageAsync(OrganizationProductsRoutes.Products));

        AssertAccessibleSvg(html, "allocation-chart", "Seats allocated versus seats per product");
        Assert.Equal(["Corona Solo: 0 of 3", "V-Ray Premium: 4 of 7"],
            TableOf(html, "allocation-chart").Select(r => $"{r.Label}: {string.Join(" of ", r.Values)}"));
        Assert.Equal(["0", "3", "4", "7"], BarValues(html, "allocation-chart"));
        Assert.Contains("<th scope=\"col\" class=\"text-end\">Allocated</th>", html, StringComparison.Ordinal);
    }

    private static List<string> BarValues(string html, string chartId)
    {
        var start = html.IndexOf($"data-testid=\"{chartId}\"", StringComparison.Ordinal);
        var svg = html[start..html.IndexOf("</svg>", start, StringComparison.Ordinal)];
        return [.. BarPattern().Matches(svg).Select(m => decimal.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture).ToString("0.##", CultureInfo.InvariantCulture))];
    }

    [GeneratedRegex("<tr data-testid=\"chart-row\" data-label=\"(?<label>[^\"]*)\">(?<cells>.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("<td class=\"text-end\" data-value=\"(?<v>[^\"]*)\">")]
    private static partial Regex ValuePattern();

    [GeneratedRegex("<rect class=\"chart-bar[^\"]*\"[^>]*data-value=\"(?<v>[^\"]*)\"")]
    private static partial Regex BarPattern();
}
