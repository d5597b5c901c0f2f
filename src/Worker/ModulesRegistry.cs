using ChaosModular.Accounts;
using ChaosModular.Billing;
using ChaosModular.Catalog;
using ChaosModular.CloudCredits;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Modules.Infrastructure;
using ChaosModular.Notifications;
using ChaosModular.Subscriptions;

namespace ChaosModular.Worker;

/// <summary>The modules whose jobs this process runs: the same list as Web's.</summary>
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
