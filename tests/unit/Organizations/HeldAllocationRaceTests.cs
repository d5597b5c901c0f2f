using System.Globalization;
using System.Net;
using ChaosModular.CloudCredits.Data;
using ChaosModular.Licensing.Contracts;
using ChaosModular.Licensing.Data;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Organizations.Contracts;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.CloudCredits;
using ChaosModular.UnitTests.Licensing;

namespace ChaosModular.UnitTests.Organizations;

/// <summary>
/// On PostgreSQL, allocations that together ask for more than there is, held so they really overlap: each request's
/// conditional UPDATE is held until every request has planned from the same free seats or credits (<see cref="SqlHold"/>),
/// so every plan fits and only the database's re-check of the condition stands between them and over-allocation.
/// </summary>
public sealed class HeldAllocationRaceTests
{
    /// <summary>The seat claim (the demo seeder's leases and borrows set other counts).</summary>
    private const string TakesSeats = "UPDATE licensing.licenses";
    private const string TakesGrantCredits = "UPDATE cloudcredits.credit_grants";

    private static PostgresPortalFactory Host(SqlHold hold) => new() { TestServices = hold.AddTo };

    /// <summary>Holds each allocation's seat claim (the conditional UPDATE of the license's allocated seats).</summary>
    private static SqlHold SeatClaims(RaceHold race) => new(LicensingDbContext.Schema,
        sql => sql.Contains(TakesSeats, StringComparison.Ordinal) && sql.Contains("SET \"Allocated\" = ", StringComparison.Ordinal), race);

    [Fact]
    public async Task Twelve_seat_allocations_planned_from_the_same_five_free_seats_allocate_exactly_five()
    {
        const int seats = 5, requests = 12;
        var race = new RaceHold(requests);
        await using var factory = Host(SeatClaims(race));
        var account = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: seats, plan: "vray-premium-annual");
        var organizationId = Guid.NewGuid();
        var until = factory.Services.GetRequiredService<TimeProvider>().Today().AddDays(30);

        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, requests).Select(i => race.RunAsync(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var api = scope.ServiceProvider.GetRequiredService<ILicenseAllocationsApi>();
            await start.WaitAsync();
            return await api.AllocateAsync(new AllocationRequest(account.UserId, organizationId, account.UserId,
                [new AllocationLine($"user-{i}", $"user-{i}@example.com", "vray-premium", 1, until)]), CancellationToken.None);
        })).ToList();
        start.Release(requests);
        var outcomes = await Task.WhenAll(calls);

        // Every request planned one of the five free seats and reached the claim before any was taken.
        race.AssertRaced(held: requests);
        Assert.Equal(seats, outcomes.Count(o => o.Succeeded));
        Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.Contains("V-Ray Premium: 1 more seat needed, 0 free.", o.Shortfalls.Select(s => s.Message)));
        var license = await account.LicenseOfAsync(licenseId);
        Assert.Equal((seats, 0), (license.Allocated, license.Availability.Available));
        Assert.Equal(seats, await factory.InLicensing(db => db.Allocations.CountAsync(a => a.LicenseId == licenseId && a.EndedUtc == null)));
    }

    /// <summary>
    /// The same race through Organization › Users › Allocate product, the page an administrator uses: twelve forms posted at
    /// once (as twelve tabs would), one seat each for twelve members, from five free seats.
    /// </summary>
    [Fact]
    public async Task Twelve_allocate_forms_posted_at_once_for_five_free_seats_allocate_five_and_tell_the_others_why()
    {
        const int seats = 5, requests = 12;
        var race = new RaceHold(requests);
        await using var factory = Host(SeatClaims(race));
        var admin = await ServerAccount.SignUpAsync(factory);
        var licenseId = await admin.LicenseAsync(seats: seats, plan: "vray-premium-annual");
        var organizationId = await OrganizationSetUp.ForAsync(factory, admin, "Race Studio");
        var members = new List<Guid>();
        for (var i = 0; i < requests; i++)
        {
            members.Add(await OrganizationSetUp.JoinAsync(factory, organizationId, await BillingCustomer.SignUpAsync(factory, card: null), OrganizationRole.Member));
        }
        var until = factory.Services.GetRequiredService<TimeProvider>().Today().AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var client = admin.Customer.Client;
        var token = PortalClient.HiddenFields(await client.GetPageAsync(OrganizationProductsRoutes.AllocateToUser(members[0])))
            .First(f => f.Key == "__RequestVerificationToken");

        using var start = new SemaphoreSlim(0);
        var posts = members.Select(membershipId => race.RunAsync(async () =>
        {
            await start.WaitAsync();
            using var response = await client.Http.PostAsync(new Uri(OrganizationProductsRoutes.AllocateToUser(membershipId), UriKind.Relative),
                new FormUrlEncodedContent([token, new("Form.Products", "vray-premium"), new("Form.Seats[vray-premium]", "1"), new("Form.ExpiresOn", until)]));
            return (response.StatusCode, Page: PortalClient.Decode(await response.Content.ReadAsStringAsync()));
        })).ToList();
        start.Release(requests);
        var answers = await Task.WhenAll(posts);

        race.AssertRaced(held: requests);
        Assert.Equal(seats, answers.Count(a => a.StatusCode == HttpStatusCode.Redirect));
        var refused = answers.Where(a => a.StatusCode != HttpStatusCode.Redirect).ToList();
        Assert.Equal(requests - seats, refused.Count);
        Assert.All(refused, a =>
        {
            Assert.Equal(HttpStatusCode.OK, a.StatusCode);
            Assert.Contains("V-Ray Premium: 1 more seat needed, 0 free.", a.Page, StringComparison.Ordinal);
        });
        var license = await admin.LicenseOfAsync(licenseId);
        Assert.Equal((seats, 0), (license.Allocated, license.Availability.Available));
        Assert.Equal(seats, await factory.InLicensing(db => db.Allocations.CountAsync(a => a.LicenseId == licenseId && a.EndedUtc == null)));
    }

    [Fact]
    public async Task Four_members_allocated_five_credits_each_from_a_pool_of_ten_spending_at_once_take_exactly_ten()
    {
        const int members = 4;
        var race = new RaceHold(members);
        await using var factory = Host(new SqlHold(CloudCreditsDbContext.Schema, sql => sql.Contains(TakesGrantCredits, StringComparison.Ordinal), race));
        var organization = await CreditPoolScenario.SetUpAsync(factory, pool: 10m);
        var people = new List<CreditsCustomer>();
        for (var i = 0; i < members; i++)
        {
            people.Add(await organization.JoinAsync(OrganizationRole.Member));
        }
        // Allocations are caps, not reservations: together they promise twice the pool.
        Assert.Equal(HttpStatusCode.Redirect, (await organization.AllocateAsync("5", [.. people])).StatusCode);
        var service = new RenderingService(factory);

        using var start = new SemaphoreSlim(0);
        var calls = people.Select(member => race.RunAsync(async () =>
        {
            await start.WaitAsync();
            using var response = await service.DebitAsync($"race-{Guid.NewGuid():N}", member.UserId, 5m);
            return response.StatusCode;
        })).ToList();
        start.Release(members);
        var answers = await Task.WhenAll(calls);

        // Every debit read the pool's ten credits and planned its five before any grant was claimed.
        race.AssertRaced(held: members);
        Assert.Equal(2, answers.Count(a => a == HttpStatusCode.Created));
        Assert.Equal(2, answers.Count(a => a == HttpStatusCode.Conflict));
        Assert.Equal(10m, await organization.PoolUsedAsync());
        Assert.Equal(10m, await organization.InCredits(async db => (await db.Allocations.Where(a => a.OrganizationId == organization.OrganizationId).Select(a => a.Used).ToListAsync()).Sum()));
    }
}
