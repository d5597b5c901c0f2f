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

    /// <summary>What breaks "a module owns its schema": its default schema, a table elsewhere, its migrations history elsewhere.</summary>
    internal static IReadOnlyList<string> SchemaProblems(DbContext context, string module)
    {
        var problems = new List<string>();
        if (context.Model.GetDefaultSchema() is var schema && schema != module)
        {
            problems.Add($"{module}'s default schema is {schema ?? "(none)"}.");
        }
        problems.AddRange(ForeignTables(context.Model, module));
        if (HistorySchema(context) is var history && history != module)
        {
            problems.Add($"{module}'s migrations history is in {history ?? "the connection's default schema"}.");
        }
        return problems;
    }

    [Theory]
    [MemberData(nameof(ModuleContexts))]
    public void Every_entity_of_a_module_maps_to_its_own_schema(string module)
    {
        using var context = Create(module);

        Assert.Empty(SchemaProblems(context, module));
    }

    [Fact]
    public void Negative_control_an_entity_in_another_schema_is_caught()
    {
        using var context = new StrayContext();

        Assert.Equal(["StrayEntity -> billing.strays"], SchemaProblems(context, "accounts"));
    }

    [Fact]
    public void Negative_control_a_migrations_history_outside_the_modules_schema_is_caught()
    {
        using var elsewhere = new HistoryContext("public");
        using var unset = new HistoryContext(null);

        Assert.Equal(["accounts's migrations history is in public."], SchemaProblems(elsewhere, "accounts"));
        Assert.Equal(["accounts's migrations history is in the connection's default schema."], SchemaProblems(unset, "accounts"));
    }

    private static string? HistorySchema(DbContext context) =>
        context.GetService<IDbContextOptions>().Extensions.OfType<Microsoft.EntityFrameworkCore.Infrastructure.RelationalOptionsExtension>()
            .Single().MigrationsHistoryTableSchema;

    private sealed class StrayEntity
    {
        public int Id { get; set; }
    }

    /// <summary>An "accounts" context whose migrations history table is in <paramref name="history"/> (null: not set).</summary>
    private class HistoryContext(string? history) : DbContext
    {
        protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
            optionsBuilder.UseNpgsql("Host=127.0.0.1;Database=unused", o =>
            {
                if (history is not null)
                {
                    o.MigrationsHistoryTable("__migrations_history", history);
                }
            });

        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.HasDefaultSchema("accounts");
    }

    /// <summary>An "accounts" context with an entity in billing's schema (its own type: EF caches a model per context type).</summary>
    private sealed class StrayContext() : HistoryContext("accounts")
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            base.OnModelCreating(modelBuilder);
            modelBuilder.Entity<StrayEntity>().ToTable("strays", "billing");
        }
    }
}
