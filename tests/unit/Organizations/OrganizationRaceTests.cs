using System.Net;
using ChaosModular.Accounts.Data;
using ChaosModular.Organizations.Data;
using ChaosModular.Organizations.Features;

namespace ChaosModular.UnitTests.Organizations;

/// <summary>
/// On PostgreSQL (read committed, real concurrency): removals racing for an organization's last two administrators
/// leave one, and appointments racing for one account put it in one organization.
/// </summary>
public sealed class OrganizationRaceTests(PostgresPortalFactory factory) : IClassFixture<PostgresPortalFactory>
{
    private const int Rounds = 8;

    private async Task<string> SignUpAsync()
    {
        var email = $"race-{Guid.NewGuid():N}@example.test";
        var client = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync("Rae Racer", email, "RaceRacer2026xx")).StatusCode);
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    private async Task<Guid> SetUpAsync(string accountId, string name)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<SetUpOrganization>().HandleAsync(accountId, name, "test", CancellationToken.None);
        Assert.Equal(SetUpOrganization.Outcome.SetUp, result.Outcome);
        return result.OrganizationId;
    }

    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    [Fact]
    public async Task Removals_racing_for_the_last_two_administrators_always_leave_one()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var id = await SetUpAsync(await SignUpAsync(), $"Race {round}");
            var second = await SignUpAsync();
            var email = await InScopeAsync(s => s.GetRequiredService<AccountsDbContext>().Users.Where(u => u.Id == second).Select(u => u.Email!).SingleAsync());
            Assert.Equal(AppointAdministrator.Outcome.Appointed,
                (await InScopeAsync(s => s.GetRequiredService<AppointAdministrator>().HandleAsync(id, email, CancellationToken.None))).Outcome);
            var memberships = await InScopeAsync(s => s.GetRequiredService<OrganizationsDbContext>().Memberships.Where(m => m.OrganizationId == id).Select(m => m.Id).ToListAsync());
            Assert.Equal(2, memberships.Count);

            using var start = new SemaphoreSlim(0);
            var removals = memberships.Select(membershipId => InScopeAsync(async s =>
            {
                var remove = s.GetRequiredService<RemoveAdministrator>();
                await start.WaitAsync();
                return (await remove.HandleAsync(id, membershipId, CancellationToken.None)).Outcome;
            })).ToList();
            start.Release(removals.Count);
            var outcomes = await Task.WhenAll(removals);

            Assert.Equal([RemoveAdministrator.Outcome.Removed, RemoveAdministrator.Outcome.LastAdministrator], outcomes.Order());
            Assert.Equal(1, await InScopeAsync(s => s.GetRequiredService<OrganizationsDbContext>().Memberships.CountAsync(m => m.OrganizationId == id)));
        }
    }

    [Fact]
    public async Task Appointments_racing_for_one_account_put_it_in_one_organization()
    {
        var organizations = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            organizations.Add(await SetUpAsync(await SignUpAsync(), $"Contest {i}"));
        }
        var contested = await SignUpAsync();
        var email = await InScopeAsync(s => s.GetRequiredService<AccountsDbContext>().Users.Where(u => u.Id == contested).Select(u => u.Email!).SingleAsync());

        using var start = new SemaphoreSlim(0);
        var appointments = organizations.Select(id => InScopeAsync(async s =>
        {
            var appoint = s.GetRequiredService<AppointAdministrator>();
            await start.WaitAsync();
            return (await appoint.HandleAsync(id, email, CancellationToken.None)).Outcome;
        })).ToList();
        start.Release(appointments.Count);
        var outcomes = await Task.WhenAll(appointments);

        Assert.Equal(1, outcomes.Count(o => o == AppointAdministrator.Outcome.Appointed));
        Assert.Equal(organizations.Count - 1, outcomes.Count(o => o == AppointAdministrator.Outcome.AlreadyInOrganization));
        Assert.Equal(1, await InScopeAsync(s => s.GetRequiredService<OrganizationsDbContext>().Memberships.CountAsync(m => m.AccountId == contested)));
    }
}
