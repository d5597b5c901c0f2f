using ChaosModular.Composition;
using ChaosModular.Accounts.Data;
using ChaosModular.Billing.Data;
using ChaosModular.CloudCredits.Data;
using ChaosModular.E2E.Harness;
using ChaosModular.Modules.Infrastructure.Hosting;
using ChaosModular.Subscriptions.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChaosModular.E2E.Seeding;

/// <summary>
/// The test-only way in for test data: the modules composed in the test process, as Web composes them, against
/// the portal's database, so a journey's customer is made by the modules' own seeders (reached through
/// <c>InternalsVisibleTo</c> ChaosModular.E2E; nothing of this is in Web or Worker). It never migrates (Web has) and runs
/// no Hangfire server: the events its writes raise (CustomerRegistered, InvoiceIssued…) are enqueued for the Worker
/// like Web's own.
/// </summary>
internal sealed class TestDataSeeder : IDisposable
{
    private readonly IHost _host;

    /// <param name="settings">The settings Web runs with (environment-variable style keys, <c>Section__Key</c>).</param>
    public TestDataSeeder(IReadOnlyDictionary<string, string> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Production,
            ContentRootPath = Path.GetDirectoryName(Repository.WebDll),
        });
        builder.Configuration
            .AddJsonFile(Path.Combine(Path.GetDirectoryName(Repository.WebDll)!, "appsettings.json"), optional: false)
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value)))
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:MigrateOnStartup"] = "false",
                ["Jobs:RunServerInWeb"] = "false",
                ["Jobs:PrepareSchema"] = "false",
            });
        builder.AddChaosModules(ModuleList.All, HostRole.Web);
        // Built, never started: no hosted service runs here.
        _host = builder.Build();
    }

    /// <summary>Registers the customer and gives them what <paramref name="customer"/> describes.</summary>
    public async Task<SeededCustomer> SeedAsync(CustomerBuilder customer)
    {
        var seed = customer.Build();
        await using var scope = _host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var id = await services.GetRequiredService<AccountsSeeder>().EnsureUserAsync(
            seed.Name, seed.Email, seed.Password, seed.Country, seed.Role, CancellationToken.None);
        if (seed.Billing is { } billing)
        {
            await services.GetRequiredService<BillingSeeder>().SeedCustomerAsync(id, billing, CancellationToken.None);
        }
        var subscriptionIds = await services.GetRequiredService<SubscriptionsSeeder>().SeedCustomerAsync(id, seed.Subscriptions, CancellationToken.None);
        await services.GetRequiredService<CloudCreditsSeeder>().SeedCustomerAsync(id, seed.CloudCredits, CancellationToken.None);
        return new SeededCustomer(seed, subscriptionIds);
    }

    public void Dispose() => _host.Dispose();
}
