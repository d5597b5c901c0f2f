using ChaosModular.Modules.Infrastructure;
using ChaosModular.Modules.Infrastructure.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChaosModular.UnitTests.Hosting;

/// <summary>
/// The start-up confirms every module's migrations with one query and sends only a module it cannot confirm through EF's
/// check and migration (a fresh database takes that path for every module: each PostgreSQL test host starts on one).
/// </summary>
public sealed class StartupMigrationsCheckTests
{
    [Fact]
    public async Task One_query_confirms_every_migrated_module_and_a_module_missing_a_migration_is_not_confirmed()
    {
        await using var factory = new PostgresPortalFactory();
        factory.CreateClient().Dispose();   // the start-up migrates the fresh database
        var modules = factory.Services.GetRequiredService<IReadOnlyList<IModule>>();
        var connectionString = factory.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!;

        var all = await MigrationsCheck.UpToDateModulesAsync(modules, DatabaseProvider.PostgreSql, connectionString, NullLogger.Instance, CancellationToken.None);
        Assert.Equal(modules.Select(m => m.Name).Order(), all.Order());
        Assert.All(MigrationsCheck.KnownMigrations(DatabaseProvider.PostgreSql, modules).Values, ids => Assert.NotEmpty(ids));

        // Billing's latest migration forgotten: Billing alone is left to EF, which would apply it.
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """DELETE FROM billing."__migrations_history" WHERE "MigrationId" = (SELECT max("MigrationId") FROM billing."__migrations_history")""", connection);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        var afterForgetting = await MigrationsCheck.UpToDateModulesAsync(modules, DatabaseProvider.PostgreSql, connectionString, NullLogger.Instance, CancellationToken.None);
        Assert.DoesNotContain("billing", afterForgetting);
        Assert.Equal(modules.Count - 1, afterForgetting.Count);

        // A module whose history table does not exist (a module added since): nothing is confirmed at once.
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""ALTER TABLE catalog."__migrations_history" RENAME TO "__migrations_history_gone" """, connection);
            await command.ExecuteNonQueryAsync();
        }
        Assert.Empty(await MigrationsCheck.UpToDateModulesAsync(modules, DatabaseProvider.PostgreSql, connectionString, NullLogger.Instance, CancellationToken.None));
    }
}
