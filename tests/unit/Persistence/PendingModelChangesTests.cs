using ChaosModular.Composition;
using ChaosModular.Modules.Infrastructure.Persistence;
using ChaosModular.Notifications.Data;
using ChaosModular.UnitTests.Architecture;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ChaosModular.UnitTests.Persistence;

/// <summary>Each provider's migrations must describe each module's model exactly: run scripts/add-migration.sh after a model change.</summary>
public sealed class PendingModelChangesTests
{
    public static TheoryData<DatabaseProvider, string> Cases()
    {
        var data = new TheoryData<DatabaseProvider, string>();
        foreach (var provider in Enum.GetValues<DatabaseProvider>())
        {
            foreach (var module in ModuleList.All)
            {
                data.Add(provider, module.Name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Migrations_match_the_model(DatabaseProvider provider, string module)
    {
        using var context = SchemaOwnershipTests.Create(module, provider);

        Assert.NotEmpty(context.Database.GetMigrations());
        Assert.False(context.Database.HasPendingModelChanges(),
            $"{module} on {provider} has model changes without a migration: run scripts/add-migration.sh <Name>.");
    }

    [Fact]
    public void Negative_control_a_model_change_without_migration_is_detected()
    {
        var options = new DbContextOptionsBuilder<NotificationsDbContext>(
                (DbContextOptions<NotificationsDbContext>)DesignTimeDatabase.Options(typeof(NotificationsDbContext), DatabaseProvider.PostgreSql, NotificationsDbContext.Schema))
            .ReplaceService<IModelCustomizer, AddsAnEntity>()
            .Options;
        using var context = new NotificationsDbContext(options);

        Assert.True(context.Database.HasPendingModelChanges());
    }

    private sealed class Unmigrated
    {
        public int Id { get; set; }
    }

    private sealed class AddsAnEntity(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
    {
        public override void Customize(ModelBuilder modelBuilder, DbContext context)
        {
            base.Customize(modelBuilder, context);
            modelBuilder.Entity<Unmigrated>().ToTable("unmigrated");
        }
    }
}
