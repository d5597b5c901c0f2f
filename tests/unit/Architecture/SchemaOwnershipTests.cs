using ChaosModular.Composition;
using ChaosModular.Modules.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ChaosModular.UnitTests.Architecture;

public sealed class SchemaOwnershipTests
{
    /// <summary>Every module's DbContext, by module name.</summary>
    public static TheoryData<string> ModuleContexts => new(ModuleList.All.Select(m => m.Name));

    internal static DbContext Create(string module, DatabaseProvider provider = DatabaseProvider.PostgreSql) =>
        DesignTimeDatabase.Create(ModuleList.All.Single(m => m.Name == module).DbContextType, provider, module);

    /// <summary>Tables (and the migrations history) that are not in the module's schema.</summary>
    internal static IReadOnlyList<string> ForeignTables(IModel model, string schema) =>
        model.GetEntityTypes()
            .Where(e => e.GetTableName() is not null && e.GetSchema() != schema)
            .Select(e => $"{e.DisplayName()} -> {e.GetSchema()}.{e.GetTableName()}")
            .ToList();

    [Theory]
    [MemberData(nameof(ModuleContexts))]
    public void Every_entity_of_a_module_maps_to_its_own_schema(string module)
    {
        using var context = Create(module);
        var schema = context.Model.GetDefaultSchema()!;

        Assert.Equal(module, schema);
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
