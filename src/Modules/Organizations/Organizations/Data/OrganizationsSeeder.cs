using ChaosModular.Accounts.Contracts;
using Microsoft.Extensions.Configuration;

namespace ChaosModular.Organizations.Data;

/// <summary>
/// With <c>Seed:Demo</c>, once: support's set-up of "Demo Studio" with the demo customer as its administrator, through
/// the same handler the Support page uses, so the demo customer sees the Organization menu.
/// </summary>
internal sealed class OrganizationsSeeder(OrganizationsDbContext db, SetUpOrganization setUp, IAccountsApi accounts, IConfiguration configuration) : IModuleSeeder
{
    public const string DemoOrganization = "Demo Studio";

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>("Seed:Demo"))
        {
            return;
        }
        var customer = await accounts.FindCustomerByEmailAsync(configuration["Seed:DemoCustomerEmail"] ?? "demo@chaosmodular.local", cancellationToken);
        if (customer is null || await db.Organizations.AnyAsync(o => o.Name == DemoOrganization, cancellationToken)
            || await db.Memberships.AnyAsync(m => m.AccountId == customer.UserId, cancellationToken))
        {
            return;
        }
        await setUp.HandleAsync(customer.UserId, DemoOrganization, "seed", cancellationToken);
    }
}
