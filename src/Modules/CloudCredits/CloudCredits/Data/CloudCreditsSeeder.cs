using ChaosModular.Accounts.Contracts;
using Microsoft.Extensions.Configuration;

namespace ChaosModular.CloudCredits.Data;

/// <summary>A grant to seed, with <paramref name="Used"/> credits already used on <paramref name="UsedOn"/>.</summary>
internal sealed record CloudCreditSeed(string Description, decimal Amount, DateTime GrantedUtc, DateOnly ExpiresOn, decimal Used = 0m, DateOnly? UsedOn = null);

/// <summary>
/// The demo customer's credits (with <c>Seed:Demo</c>): one active grant partly used, one active and
/// unused, one expired with credits forfeited. Only when the customer has no grant yet.
/// <see cref="SeedCustomerAsync"/> grants any customer theirs (the end-to-end tests make one customer per journey).
/// </summary>
internal sealed class CloudCreditsSeeder(CloudCreditsDbContext db, IAccountsApi accounts, IConfiguration configuration, TimeProvider clock) : IModuleSeeder
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>("Seed:Demo"))
        {
            return;
        }
        var email = configuration["Seed:DemoCustomerEmail"] ?? "demo@chaosmodular.local";
        var customer = await accounts.FindCustomerByEmailAsync(email, cancellationToken);
        if (customer is null || await db.Grants.AnyAsync(g => g.CustomerId == customer.UserId, cancellationToken))
        {
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        await SeedCustomerAsync(customer.UserId,
        [
            new("Included with V-Ray Premium annual", 500m, now.AddMonths(-2), today.AddMonths(10), Used: 182.5m, UsedOn: today),
            new("Chaos Cloud credits — order of 3 packs", 300m, now.AddDays(-3), today.AddYears(1)),
            new("Welcome credits", 100m, now.AddMonths(-14), today.AddMonths(-2), Used: 35m, UsedOn: DateOnly.FromDateTime(now.AddMonths(-10))),
        ], cancellationToken);
    }

    public async Task SeedCustomerAsync(string customerId, IReadOnlyList<CloudCreditSeed> grants, CancellationToken cancellationToken)
    {
        foreach (var g in grants)
        {
            var grant = CreditGrant.Grant(customerId, g.Description, g.Amount, g.GrantedUtc, g.ExpiresOn);
            db.Grants.Add(grant);
            if (g.Used > 0m)
            {
                // Used as a rendering service would use it: a debit on the day (the monthly chart and the history read debits).
                var usedOn = g.UsedOn ?? clock.Today();
                grant.Use(g.Used, usedOn);
                var at = usedOn.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc);
                var now = clock.GetUtcNow().UtcDateTime;
                var debit = CreditDebit.Record("seed", $"seed:{grant.Id:N}", customerId, customerId, CreditPool.Personal, customerId, null, g.Used,
                    $"Rendering ({g.Description})", at < now ? at : now);
                debit.Paid([new GrantTake(grant.Id, g.Used)], grant.Remaining);
                db.Debits.Add(debit);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
