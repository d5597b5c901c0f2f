using ChaosModular.Accounts.Data;
using ChaosModular.Billing.Data;
using ChaosModular.Catalog.Data;
using ChaosModular.CloudCredits.Data;
using ChaosModular.Modules.Infrastructure.Persistence;
using ChaosModular.Notifications.Data;
using ChaosModular.Subscriptions.Data;

namespace ChaosModular.Migrations.PostgreSql;

// dotnet ef builds each module's context on this project's provider through these.
internal sealed class AccountsFactory() : ModuleDesignTimeFactory<AccountsDbContext>(DatabaseProvider.PostgreSql, AccountsDbContext.Schema);

internal sealed class NotificationsFactory() : ModuleDesignTimeFactory<NotificationsDbContext>(DatabaseProvider.PostgreSql, NotificationsDbContext.Schema);

internal sealed class BillingFactory() : ModuleDesignTimeFactory<BillingDbContext>(DatabaseProvider.PostgreSql, BillingDbContext.Schema);

internal sealed class CatalogFactory() : ModuleDesignTimeFactory<CatalogDbContext>(DatabaseProvider.PostgreSql, CatalogDbContext.Schema);

internal sealed class SubscriptionsFactory() : ModuleDesignTimeFactory<SubscriptionsDbContext>(DatabaseProvider.PostgreSql, SubscriptionsDbContext.Schema);

internal sealed class CloudCreditsFactory() : ModuleDesignTimeFactory<CloudCreditsDbContext>(DatabaseProvider.PostgreSql, CloudCreditsDbContext.Schema);
