using ChaosModular.Accounts.Data;
using ChaosModular.Billing.Data;
using ChaosModular.Catalog.Data;
using ChaosModular.CloudCredits.Data;
using ChaosModular.Modules.Infrastructure.Persistence;
using ChaosModular.Notifications.Data;
using ChaosModular.Subscriptions.Data;

namespace ChaosModular.Migrations.Sqlite;

// dotnet ef builds each module's context on this project's provider through these.
internal sealed class AccountsFactory() : ModuleDesignTimeFactory<AccountsDbContext>(DatabaseProvider.Sqlite, AccountsDbContext.Schema);

internal sealed class NotificationsFactory() : ModuleDesignTimeFactory<NotificationsDbContext>(DatabaseProvider.Sqlite, NotificationsDbContext.Schema);

internal sealed class BillingFactory() : ModuleDesignTimeFactory<BillingDbContext>(DatabaseProvider.Sqlite, BillingDbContext.Schema);

internal sealed class CatalogFactory() : ModuleDesignTimeFactory<CatalogDbContext>(DatabaseProvider.Sqlite, CatalogDbContext.Schema);

internal sealed class SubscriptionsFactory() : ModuleDesignTimeFactory<SubscriptionsDbContext>(DatabaseProvider.Sqlite, SubscriptionsDbContext.Schema);

internal sealed class CloudCreditsFactory() : ModuleDesignTimeFactory<CloudCreditsDbContext>(DatabaseProvider.Sqlite, CloudCreditsDbContext.Schema);
