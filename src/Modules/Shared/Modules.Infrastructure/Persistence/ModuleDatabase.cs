using System.Runtime.CompilerServices;
using ChaosModular.Modules.Infrastructure.Outbox;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChaosModular.Modules.Infrastructure.Persistence;

public static class ModuleDatabase
{
    public const string HistoryTable = "__migrations_history";

    public static string MigrationsAssembly(DatabaseProvider provider) => $"ChaosModular.Migrations.{provider}";

    /// <summary>
    /// Registers a module's DbContext on the configured provider, with the module's own schema,
    /// migrations history table and migrations assembly, and the outbox hook.
    /// </summary>
    public static IServiceCollection AddModuleDbContext<TContext>(this IServiceCollection services, string module)
        where TContext : DbContext, IOutboxContext
    {
        services.TryAddSingleton<OutboxInterceptor>();
        services.AddKeyedScoped<IOutboxStore, OutboxStore<TContext>>(module);
        services.AddSingleton(new OutboxModule(module));
        // Pooled: a page asks several modules, and building a context (its services, its options) per module per request
        // was a good part of a page's cost. Everything the options hold is a singleton (the outbox interceptor keeps its
        // state on the context, which EF resets when the context returns to the pool); sp is the root provider here.
        services.AddDbContextPool<TContext>((sp, options) =>
        {
            var db = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            options.UseModuleDatabase(db.ParsedProvider, db.ConnectionString!, module, db.ContentRoot);
            options.AddOutbox(sp);
            foreach (var configure in sp.GetServices<IModuleDbContextConfiguration>())
            {
                configure.Configure(module, options);
            }
        });
        services.AddHealthChecks().AddDbContextCheck<TContext>($"database-{module}");
        return services;
    }

    /// <summary>Registers a seeder that runs after the module's migrations (<see cref="SeedUnlessUnchangedAsync"/>), in registration order.</summary>
    public static IServiceCollection AddModuleSeeder<TSeeder>(this IServiceCollection services, string module)
        where TSeeder : class, IModuleSeeder
    {
        services.AddScoped<TSeeder>();
        services.AddKeyedScoped<IModuleSeeder>(module, (sp, _) => sp.GetRequiredService<TSeeder>());
        return services;
    }

    /// <summary>Applies the module's pending migrations, if any.</summary>
    public static async Task MigrateAsync(this IServiceProvider services, IModule module, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = (DbContext)scope.ServiceProvider.GetRequiredService(module.DbContextType);
        // Checked, not re-run: MigrateAsync also compares the model with the last snapshot on every call (a model diff per
        // module at each start). With every migration applied, reading the history table is all a start needs.
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Runs the module's seeders unless <paramref name="recorded"/> holds their current fingerprint (<see cref="SeedRecord"/>),
    /// and records the fingerprint after they succeed.
    /// </summary>
    /// <returns>False when the seeders were skipped.</returns>
    public static async Task<bool> SeedUnlessUnchangedAsync(this IServiceProvider services, IModule module, SeedRecord record,
        IReadOnlyDictionary<string, string> recorded, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var fingerprint = await record.FingerprintAsync(module, scope.ServiceProvider, cancellationToken);
        if (recorded.TryGetValue(module.Name, out var last) && last == fingerprint)
        {
            return false;
        }
        foreach (var seeder in scope.ServiceProvider.GetKeyedServices<IModuleSeeder>(module.Name))
        {
            await seeder.SeedAsync(cancellationToken);
        }
        record.Record(module.Name, fingerprint);
        return true;
    }

    public static DbContextOptionsBuilder UseModuleDatabase(
        this DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString, string module, string contentRoot)
    {
        var assembly = MigrationsAssembly(provider);
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                UseSqlite(options, SqliteConnectionString(connectionString, module, contentRoot), assembly, module);
                break;
            case DatabaseProvider.PostgreSql:
                UseNpgsql(options, PostgreSqlConnectionString(connectionString), assembly, module);
                break;
            case DatabaseProvider.SqlServer:
                UseSqlServer(options, connectionString, assembly, module);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, null);
        }
        return options;
    }

    // One method per provider, so a process loads only the EF provider (and its client library) it uses: the JIT loads
    // an assembly for every type a method it compiles names, and the two unused providers were 3-4 MB of Web's memory.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UseSqlite(DbContextOptionsBuilder options, string connectionString, string assembly, string module)
    {
        options.UseSqlite(connectionString, o => o
            .MigrationsAssembly(assembly)
            .MigrationsHistoryTable(HistoryTable, module));
        options.ConfigureWarnings(w => w.Ignore(SqliteEventId.SchemaConfiguredWarning));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UseNpgsql(DbContextOptionsBuilder options, string connectionString, string assembly, string module) =>
        options.UseNpgsql(connectionString, o => o
            .MigrationsAssembly(assembly)
            .MigrationsHistoryTable(HistoryTable, module));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UseSqlServer(DbContextOptionsBuilder options, string connectionString, string assembly, string module) =>
        options.UseSqlServer(connectionString, o => o
            .MigrationsAssembly(assembly)
            .MigrationsHistoryTable(HistoryTable, module));

    /// <summary>Npgsql's automatic preparation, unless the connection string sets it.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// The modules' PostgreSQL connection string with two defaults the connection string may override:
    /// <list type="bullet">
    /// <item><c>No Reset On Close=true</c>: a pooled connection is not sent <c>DISCARD ALL</c> each time EF opens it (once per
    /// query outside a transaction, so six times for a page of six queries). Nothing here keeps session state on a
    /// connection (no session <c>SET</c>, temporary tables, <c>LISTEN</c> (the page cache listens on an unpooled connection
    /// of its own) or session advisory locks; an open transaction
    /// is still rolled back when the connection goes back to the pool).</item>
    /// <item><c>Max Auto Prepare=64</c>: a statement run five times on a connection is prepared there, so PostgreSQL
    /// stops parsing and planning the same page queries on every request.</item>
    /// </list>
    /// Measured with <c>scripts/bench.sh</c> (README, Performance): PostgreSQL's CPU per page request fell by about a third.
    /// </summary>
    public static string PostgreSqlConnectionString(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }
        return builder.ConnectionString;
    }

    /// <summary>SQLite has no schemas, so each module gets its own file; relative paths are under the content root.</summary>
    public static string SqliteConnectionString(string template, string module, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(template.Replace("{module}", module, StringComparison.Ordinal));
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        }
        var directory = Path.GetDirectoryName(builder.DataSource);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        return builder.ToString();
    }

    /// <summary>Every DateTime is UTC: stored as such and read back with Kind=Utc on every provider.</summary>
    public static void UseUtcDateTimes(this ModelConfigurationBuilder configuration)
    {
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configuration.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.Value.ToUniversalTime(), DateTimeKind.Utc),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}

/// <summary>
/// A hook for every module DbContext's options, applied after the provider and the outbox (e.g. the tests'
/// command counter). In production only Web's page data cache registers one, on PostgreSQL (<c>DataChangeContexts</c>).
/// </summary>
public interface IModuleDbContextConfiguration
{
    void Configure(string moduleName, DbContextOptionsBuilder options);
}

/// <summary>
/// A module's DbContext built without a host, on a given provider, with the module's schema, history table and
/// migrations assembly: what <c>dotnet ef</c> (through each migrations project's design-time host) and the model
/// tests use. Nothing connects until the context is used.
/// </summary>
public static class DesignTimeDatabase
{
    public static string ConnectionString(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "Data Source=:memory:",
        DatabaseProvider.PostgreSql => "Host=localhost;Database=chaos_design",
        _ => "Server=localhost;Database=chaos_design;TrustServerCertificate=True",
    };

    /// <summary>The <c>DbContextOptions&lt;TContext&gt;</c> of <paramref name="contextType"/>.</summary>
    public static DbContextOptions Options(Type contextType, DatabaseProvider provider, string module)
    {
        var builder = (DbContextOptionsBuilder)Activator.CreateInstance(typeof(DbContextOptionsBuilder<>).MakeGenericType(contextType))!;
        return builder.UseModuleDatabase(provider, ConnectionString(provider), module, Path.GetTempPath()).Options;
    }

    public static DbContext Create(Type contextType, DatabaseProvider provider, string module) =>
        (DbContext)Activator.CreateInstance(contextType, Options(contextType, provider, module))!;
}
