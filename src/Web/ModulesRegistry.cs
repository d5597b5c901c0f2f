using ChaosModular.Accounts;
using ChaosModular.Billing;
using ChaosModular.Catalog;
using ChaosModular.CloudCredits;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Modules.Infrastructure;
using ChaosModular.Notifications;
using ChaosModular.Subscriptions;

namespace ChaosModular.Web;

/// <summary>The modules this host runs, by name: adding a module means adding it here and in the Worker.</summary>
internal static class ModulesRegistry
{
    public static IReadOnlyList<IModule> Modules { get; } =
    [
        new AccountsModule(),
        new NotificationsModule(),
        new CatalogModule(),
        new BillingModule(),
        new SubscriptionsModule(),
        new CloudCreditsModule(),
    ];
}
