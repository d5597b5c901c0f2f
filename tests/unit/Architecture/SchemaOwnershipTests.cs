using ChaosModular.Accounts.Data;
using ChaosModular.Billing.Data;
using ChaosModular.Catalog.Data;
using ChaosModular.CloudCredits.Data;
using ChaosModular.Modules.Infrastructure.Persistence;
using ChaosModular.Notifications.Data;
using ChaosModular.Subscriptions.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ChaosModular.UnitTests.Architecture;

public sealed class SchemaOwnershipTests
{
    public static readonly string[] ContextNames = [nameof(AccountsDbContext), nameof(NotificationsDbContext), nameof(BillingDbContext), nameof(CatalogDbContext), nameof(SubscriptionsDbContext), nameof(CloudCreditsDbContext)];

    public static TheoryData<string> ModuleContexts => new(ContextNames);

    internal static DbContext Create(string contextName, DatabaseProvider provider = DatabaseProvider.PostgreSql) => contextName switch
    {
        nameof(AccountsDbContext) => new AccountsDbContext(Options<AccountsDbContext>(provider, AccountsDbContext.Schema)),
        nameof(NotificationsDbContext) => new NotificationsDbContext(Options<NotificationsDbContext>(provider, NotificationsDbContext.Schema)),
        nameof(BillingDbContext) => new BillingDbContext(Options<BillingDbContext>(provider, BillingDbContext.Schema)),
        nameof(CatalogDbContext) => new CatalogDbContext(Options<CatalogDbContext>(provider, CatalogDbContext.Schema)),
        nameof(SubscriptionsDbContext) => new SubscriptionsDbContext(Options<SubscriptionsDbContext>(provider, SubscriptionsDbContext.Schema)),
        nameof(CloudCreditsDbContext) => new CloudCreditsDbContext(Options<CloudCreditsDbContext>(provider, CloudCreditsDbContext.Schema)),
        _ => throw new ArgumentOutOfRangeException(nameof(contextName)),
    };

    internal static DbContextOptions<T> Options<T>(DatabaseProvider provider, string module) where T : DbContext =>
        (DbContextOptions<T>)new DbContextOptionsBuilder<T>()
            .UseModuleDatabase(provider, provider switch
            {
                DatabaseProvider.Sqlite => "Data Source=:memory:",
                DatabaseProvider.PostgreSql => "Host=127.0.0.1;Database=unused",
                _ => "Server=localhost;Database=unused;TrustServerCertificate=True",
            }, module, Path.GetTempPath())
            .Options;

    /// <summary>Tables (and the migrations history) that are not in the module's schema.</summary>
    internal static IReadOnlyList<string> ForeignTables(IModel model, string schema) =>
        model.GetEntityTypes()
            .Where(e => e.GetTableName() is not null && e.GetSchema() != schema)
            .Select(e => $"{e.DisplayName()} -> {e.GetSchema()}.{e.GetTableName()}")
            .ToList();

    [Theory]
    [MemberData(nameof(ModuleContexts))]
    public void Every_entity_of_a_module_maps_to_its_own_schema(string contextName)
    {
        using var context = Create(contextName);
        var schema = context.Model.GetDefaultSchema()!;

        Assert.Empty(ForeignTables(context.Model, schema));
        Assert.Equal(schema, HistorySchema(context));
    }

    [Fact]
    public void Negative_control_an_entity_in_another_schema_is_caught()
    {
        using var context = new StrayContext();

        Assert.Equal(["StrayEntity -> billing.strays"], ForeignTables(context.Model, "accounts"));
    }

    private static string? HistorySchema(DbContext context) =>
        context.GetService<IDbContextOptions>().Extensions.OfType<Microsoft.EntityFrameworkCore.Infrastructure.RelationalOptionsExtension>()
            .Single().MigrationsHistoryTableSchema;

    private sealed class StrayEntity
    {
        public int Id { get; set; }
    }

    private sealed class StrayContext : DbContext
    {
        protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
            optionsBuilder.UseNpgsql("Host=127.0.0.1;Database=unused");

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.HasDefaultSchema("accounts");
            modelBuilder.Entity<StrayEntity>().ToTable("strays", "billing");
        }
    }
}
