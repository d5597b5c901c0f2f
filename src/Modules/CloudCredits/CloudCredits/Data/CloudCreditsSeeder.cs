using ChaosModular.Accounts.Contracts;
using ChaosModular.CloudCredits.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace ChaosModular.CloudCredits.Data;

/// <summary>
/// The demo customer's credits (with <c>Seed:Demo</c>): one active grant partly used, one active and
/// unused, one expired with credits forfeited. Only when the customer has no grant yet.
/// </summary>
internal sealed class CloudCreditsSeeder(CloudCreditsDbContext db, IAccountsApi accounts, IConfiguration configuration, TimeProvider clock)
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

        var included = CreditGrant.Grant(customer.UserId, "Included with V-Ray Premium annual", 500m, now.AddMonths(-2), today.AddMonths(10));
        included.Use(182.5m, today);
        var bought = CreditGrant.Grant(customer.UserId, "Chaos Cloud credits — order of 3 packs", 300m, now.AddDays(-3), today.AddYears(1));
        var welcome = CreditGrant.Grant(customer.UserId, "Welcome credits", 100m, now.AddMonths(-14), today.AddMonths(-2));
        welcome.Use(35m, DateOnly.FromDateTime(now.AddMonths(-10)));
        db.Grants.AddRange(included, bought, welcome);
        await db.SaveChangesAsync(cancellationToken);
    }
}
