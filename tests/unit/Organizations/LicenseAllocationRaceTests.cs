using ChaosModular.Licensing.Contracts;
using ChaosModular.Modules.Abstractions;
using ChaosModular.UnitTests.Licensing;

namespace ChaosModular.UnitTests.Organizations;

/// <summary>On PostgreSQL: allocation requests racing for the free seats of one license never allocate more than it has.</summary>
public sealed class LicenseAllocationRaceTests(LicenseServerPostgresFactory factory) : IClassFixture<LicenseServerPostgresFactory>
{
    private const int Seats = 5;
    private const int Requests = 40;

    [Fact]
    public async Task Forty_allocation_requests_at_once_for_five_free_seats_allocate_exactly_five()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: Seats, plan: "vray-premium-annual");
        var organizationId = Guid.NewGuid();
        var until = factory.Services.GetRequiredService<TimeProvider>().Today().AddDays(30);

        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, Requests).Select(async i =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var api = scope.ServiceProvider.GetRequiredService<ILicenseAllocationsApi>();
            await start.WaitAsync();
            return await api.AllocateAsync(new AllocationRequest(account.UserId, organizationId, account.UserId,
                [new AllocationLine($"user-{i}", $"user-{i}@example.com", "vray-premium", 1, until)]), CancellationToken.None);
        }).ToList();
        start.Release(calls.Count);
        var outcomes = await Task.WhenAll(calls);

        Assert.Equal(Seats, outcomes.Count(o => o.Succeeded));
        Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.True(
            o.Shortfalls.Any(s => s.Message == "V-Ray Premium: 1 more seat needed, 0 free.") || o.Problems.Any(p => p.StartsWith("Seats were being taken", StringComparison.Ordinal)),
            string.Join(" | ", [.. o.Problems, .. o.Shortfalls.Select(s => s.Message)])));
        var license = await account.LicenseOfAsync(licenseId);
        Assert.Equal((Seats, 0), (license.Allocated, license.Availability.Available));
        Assert.Equal(Seats, await factory.InLicensing(db => db.Allocations.CountAsync(a => a.LicenseId == licenseId && a.EndedUtc == null)));
    }

    [Fact]
    public async Task Allocations_and_server_leases_racing_for_five_seats_take_exactly_five_between_them()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: Seats, plan: "vray-premium-annual");
        var servers = new List<LicenseServerClient>();
        for (var i = 0; i < 4; i++)
        {
            servers.Add(await account.ActivateServerAsync());
        }
        var until = factory.Services.GetRequiredService<TimeProvider>().Today().AddDays(30);

        using var start = new SemaphoreSlim(0);
        var allocations = Enumerable.Range(0, 20).Select(async i =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var api = scope.ServiceProvider.GetRequiredService<ILicenseAllocationsApi>();
            await start.WaitAsync();
            return (await api.AllocateAsync(new AllocationRequest(account.UserId, Guid.NewGuid(), account.UserId,
                [new AllocationLine($"user-{i}", $"user-{i}@example.com", "vray-premium", 1, until)]), CancellationToken.None)).Succeeded;
        });
        var leases = servers.SelectMany(s => Enumerable.Range(0, 5).Select(async _ =>
        {
            await start.WaitAsync();
            return (await s.LeaseAsync(licenseId)).StatusCode == System.Net.HttpStatusCode.Created;
        }));
        List<Task<bool>> calls = [.. allocations, .. leases];
        start.Release(calls.Count);
        var won = await Task.WhenAll(calls);

        Assert.Equal(Seats, won.Count(w => w));
        var license = await account.LicenseOfAsync(licenseId);
        Assert.Equal(Seats, license.InUse + license.Allocated);
        Assert.Equal(license.Allocated, await factory.InLicensing(db => db.Allocations.Where(a => a.LicenseId == licenseId && a.EndedUtc == null).SumAsync(a => a.Seats)));
        Assert.Equal(license.InUse, await factory.InLicensing(db => db.Leases.Where(l => l.LicenseId == licenseId && l.EndedUtc == null).SumAsync(l => l.Seats)));
    }

    [Fact]
    public async Task Revokes_and_a_leaving_member_racing_to_end_one_allocation_free_its_seats_once()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: Seats, plan: "vray-premium-annual");
        var organizationId = Guid.NewGuid();
        var until = factory.Services.GetRequiredService<TimeProvider>().Today().AddDays(30);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var api = scope.ServiceProvider.GetRequiredService<ILicenseAllocationsApi>();
            Assert.True((await api.AllocateAsync(new AllocationRequest(account.UserId, organizationId, account.UserId,
                [new AllocationLine("leaver", "leaver@example.com", "vray-premium", 2, until), new AllocationLine("stayer", "stayer@example.com", "vray-premium", 1, until)]),
                CancellationToken.None)).Succeeded);
        }
        var allocationId = await factory.InLicensing(db => db.Allocations.Where(a => a.UserId == "leaver").Select(a => a.Id).SingleAsync());

        using var start = new SemaphoreSlim(0);
        var revokes = Enumerable.Range(0, 12).Select(async _ =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var api = scope.ServiceProvider.GetRequiredService<ILicenseAllocationsApi>();
            await start.WaitAsync();
            return (await api.RevokeAsync(account.UserId, allocationId, CancellationToken.None)).Revoked;
        });
        var leaving = Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<ChaosModular.Licensing.IntegrationEventHandlers.AllocationsEndWhenMemberLeaves>();
            await start.WaitAsync();
            await handler.HandleAsync(new ChaosModular.Organizations.Contracts.Events.OrganizationMemberLeft(
                Guid.NewGuid(), DateTime.UtcNow, organizationId, account.UserId, Guid.NewGuid(), "leaver", "leaver@example.com"), CancellationToken.None);
            return false;
        });
        List<Task<bool>> calls = [.. revokes, .. leaving];
        start.Release(calls.Count);
        var answers = await Task.WhenAll(calls);

        Assert.True(answers.Count(a => a) <= 1);
        var license = await account.LicenseOfAsync(licenseId);
        Assert.Equal((1, Seats - 1), (license.Allocated, license.Availability.Available));
        Assert.NotNull(await factory.InLicensing(db => db.Allocations.Where(a => a.Id == allocationId).Select(a => a.EndedUtc).SingleAsync()));
    }
}
