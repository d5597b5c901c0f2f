using System.Net;
using ChaosModular.Organizations.Contracts;

namespace ChaosModular.UnitTests.CloudCredits;

/// <summary>
/// On PostgreSQL: many debits at once for a small balance. The conditional updates on the grants and the allocation
/// are what keep the total within it (without them every call reads the same balance and all succeed), and the unique
/// request id is what makes concurrent replays one debit.
/// </summary>
public sealed class CreditsRaceTests(PostgresPortalFactory factory) : IClassFixture<PostgresPortalFactory>
{
    private static async Task<(HttpStatusCode Status, decimal Credits)[]> RaceAsync(int calls, Func<int, Task<HttpResponseMessage>> call)
    {
        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, calls).Select(async i =>
        {
            await start.WaitAsync();
            var response = await call(i);
            var credits = response.StatusCode == HttpStatusCode.Created ? (await RenderingService.JsonAsync(response, HttpStatusCode.Created)).GetProperty("credits").GetDecimal() : 0m;
            return (response.StatusCode, credits);
        }).ToList();
        start.Release(calls);
        return await Task.WhenAll(tasks);
    }

    [Fact]
    public async Task Forty_debits_at_once_for_ten_credits_in_three_grants_take_exactly_ten()
    {
        var customer = await CreditsCustomer.SignUpAsync(factory);
        foreach (var (amount, days) in new[] { (3m, 10), (3m, 20), (4m, 30) })
        {
            await customer.GrantAsync($"Grant of {amount}", amount, customer.Today.AddDays(days));
        }
        var service = new RenderingService(factory);

        var answers = await RaceAsync(40, _ => service.DebitAsync($"race-{Guid.NewGuid():N}", customer.UserId, 1m));

        Assert.Equal(10, answers.Count(a => a.Status == HttpStatusCode.Created));
        Assert.Equal(30, answers.Count(a => a.Status == HttpStatusCode.Conflict));
        Assert.Equal(10m, answers.Sum(a => a.Credits));
        var grants = await factory.InCredits(db => db.Grants.AsNoTracking().Where(g => g.CustomerId == customer.UserId).ToListAsync());
        Assert.All(grants, g => Assert.Equal(g.Amount, g.Used));
        Assert.Equal(10m, (await factory.InCredits(db => db.DebitParts.Join(db.Debits.Where(d => d.UserId == customer.UserId), p => p.DebitId, d => d.Id, (p, _) => p.Credits).ToListAsync())).Sum());
    }

    [Fact]
    public async Task Thirty_debits_at_once_by_a_member_with_five_allocated_of_a_large_pool_take_exactly_five()
    {
        var organization = await CreditPoolScenario.SetUpAsync(factory, pool: 1000m);
        var member = await organization.JoinAsync(OrganizationRole.Member);
        Assert.Equal(HttpStatusCode.Redirect, (await organization.AllocateAsync("5", member)).StatusCode);
        var service = new RenderingService(factory);

        var answers = await RaceAsync(30, _ => service.DebitAsync($"race-{Guid.NewGuid():N}", member.UserId, 1m));

        Assert.Equal(5, answers.Count(a => a.Status == HttpStatusCode.Created));
        Assert.Equal(5m, answers.Sum(a => a.Credits));
        Assert.Equal(5m, await factory.InCredits(db => db.Allocations.Where(a => a.UserId == member.UserId).Select(a => a.Used).SingleAsync()));
        Assert.Equal(5m, await organization.PoolUsedAsync());
    }

    [Fact]
    public async Task The_same_debit_sent_twenty_times_at_once_is_spent_once_and_every_answer_is_the_first()
    {
        var customer = await CreditsCustomer.SignUpAsync(factory);
        await customer.GrantAsync("Own credits", 100m, customer.Today.AddDays(30));
        var service = new RenderingService(factory);
        var requestId = $"race-{Guid.NewGuid():N}";

        var answers = await RaceAsync(20, _ => service.DebitAsync(requestId, customer.UserId, 7m));

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.Created, 7m), a));
        Assert.Equal(1, await factory.InCredits(db => db.Debits.CountAsync(d => d.RequestId == requestId)));
        Assert.Equal(7m, await factory.InCredits(db => db.Grants.Where(g => g.CustomerId == customer.UserId).Select(g => g.Used).SingleAsync()));
    }
}
