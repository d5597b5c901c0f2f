using System.Data.Common;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ChaosModular.Modules.Infrastructure.Persistence;

/// <summary>
/// The start-up's check that every module's migrations are applied, in one query per database: each module's history
/// table is read in one <c>UNION ALL</c> and compared with the migrations its provider's assembly holds (found by their
/// attributes, without building any module's EF model). A module it cannot confirm (a missing history table, a
/// migration not applied, SQLite's file per module) goes through EF's own check and migration as before.
/// </summary>
public static class MigrationsCheck
{
    /// <summary>The modules whose migrations are all applied; empty when that could not be confirmed at once.</summary>
    public static async Task<IReadOnlySet<string>> UpToDateModulesAsync(IReadOnlyList<IModule> modules, DatabaseProvider provider, string connectionString,
        ILogger logger, CancellationToken cancellationToken)
    {
        if (provider is not (DatabaseProvider.PostgreSql or DatabaseProvider.SqlServer) || modules.Count == 0)
        {
            return new HashSet<string>();
        }
        var known = KnownMigrations(provider, modules);
        var sql = string.Join(" UNION ALL ", modules.Select(m => provider == DatabaseProvider.PostgreSql
            ? $"SELECT '{m.Name}' AS module, \"MigrationId\" AS id FROM \"{m.Name}\".\"{ModuleDatabase.HistoryTable}\""
            : $"SELECT '{m.Name}' AS module, [MigrationId] AS id FROM [{m.Name}].[{ModuleDatabase.HistoryTable}]"));
        var applied = modules.ToDictionary(m => m.Name, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        // The provider's own connection, not a module DbContext's: nothing of EF is set up for this.
        await using var connection = provider == DatabaseProvider.PostgreSql ? PostgreSqlConnection(connectionString) : SqlServerConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied[reader.GetString(0)].Add(reader.GetString(1));
            }
        }
        catch (DbException ex)
        {
            // A history table does not exist yet (a new database or module): every module takes EF's path.
            logger.LogInformation("The migrations of all modules could not be checked at once ({Reason}); each module is checked on its own.", ex.Message);
            return new HashSet<string>();
        }
        finally
        {
            await connection.CloseAsync();
        }
        return modules.Where(m => known[m.Name].All(applied[m.Name].Contains)).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
    }

    // Each provider's connection in a method of its own, so a process loads only the client library it uses
    // (the JIT loads an assembly for every type a method it compiles names).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DbConnection PostgreSqlConnection(string connectionString) => new NpgsqlConnection(connectionString);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DbConnection SqlServerConnection(string connectionString) => new SqlConnection(connectionString);

    /// <summary>Each module's migration ids in its provider's migrations assembly.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> KnownMigrations(DatabaseProvider provider, IReadOnlyList<IModule> modules)
    {
        var assembly = Assembly.Load(new AssemblyName(ModuleDatabase.MigrationsAssembly(provider)));
        var migrations = assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Migration)) && !t.IsAbstract)
            .Select(t => (Context: t.GetCustomAttribute<DbContextAttribute>()?.ContextType, Id: t.GetCustomAttribute<MigrationAttribute>()?.Id))
            .Where(m => m.Context is not null && m.Id is not null)
            .ToList();
        return modules.ToDictionary(m => m.Name,
            m => (IReadOnlyList<string>)migrations.Where(x => x.Context == m.DbContextType).Select(x => x.Id!).Order(StringComparer.Ordinal).ToList(),
            StringComparer.Ordinal);
    }
}
