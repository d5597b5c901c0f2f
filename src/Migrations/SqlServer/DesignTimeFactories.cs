using ChaosModular.Accounts.Data;
using ChaosModular.Billing.Data;
using ChaosModular.Catalog.Data;
using ChaosModular.CloudCredits.Data;
using ChaosModular.Modules.Infrastructure.Persistence;
using ChaosModular.Notifications.Data;
using ChaosModular.Subscriptions.Data;

namespace ChaosModular.Migrations.SqlServer;

// dotnet ef builds each module's context on this project's provider through these.
internal sealed class AccountsFactory() : ModuleDesignTimeFactory<AccountsDbContext>(DatabaseProvider.SqlServer, AccountsDbContext.Schema);

internal sealed class NotificationsFactory() : ModuleDesignTimeFactory<NotificationsDbContext>(DatabaseProvider.SqlServer, NotificationsDbContext.Schema);

internal sealed class BillingFactory() : ModuleDesignTimeFactory<BillingDbContext>(DatabaseProvider.SqlServer, BillingDbContext.Schema);

internal sealed class CatalogFactory() : ModuleDesignTimeFactory<CatalogDbContext>(DatabaseProvider.SqlServer, CatalogDbContext.Schema);

internal sealed class SubscriptionsFactory() : ModuleDesignTimeFactory<SubscriptionsDbContext>(DatabaseProvider.SqlServer, SubscriptionsDbContext.Schema);

internal sealed class CloudCreditsFactory() : ModuleDesignTimeFactory<CloudCreditsDbContext>(DatabaseProvider.SqlServer, CloudCreditsDbContext.Schema);
