using ChaosModular.Accounts;
using ChaosModular.Billing;
using ChaosModular.Catalog;
using ChaosModular.CloudCredits;
using ChaosModular.Licensing;
using ChaosModular.Modules.Infrastructure;
using ChaosModular.Notifications;
using ChaosModular.Organizations;
using ChaosModular.Subscriptions;

namespace ChaosModular.Composition;

/// <summary>
/// The portal's modules, each named once, in start-up order (a module's migrations and seed run after those
/// of the modules it reads from). Web, Worker, the migrations projects' design-time hosts and the tests all
/// compose this list; a test fails when a folder under src/Modules is missing from it.
/// </summary>
public static class ModuleList
{
    public static IReadOnlyList<IModule> All { get; } =
    [
        new AccountsModule(),
        new NotificationsModule(),
        new CatalogModule(),
        new BillingModule(),
        new SubscriptionsModule(),
        new CloudCreditsModule(),
        new LicensingModule(),
        new OrganizationsModule(),
    ];
}
