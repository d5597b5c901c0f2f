using System.Globalization;
using ChaosModular.Modules.Infrastructure.Persistence;
using ChaosModular.Modules.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Npgsql;

namespace ChaosModular.UnitTests.Infrastructure;

/// <summary>
/// The real Web host in process, on a database of its own. Settings go in as host settings so they
/// are visible while Program composes the modules.
/// </summary>
public abstract class PortalFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Database:MigrateOnStartup"] = "true",
        // No demo customer, member or support user unless a test asks for them (DemoData): most tests sign up the
        // customers they need, and seeding six modules' demo rows cost every host start about 0.35 s.
        ["Seed:Demo"] = "false",
        ["Portal:BaseUrl"] = "https://localhost",
        ["Support:HelpCenterUrl"] = "https://support.example.test/hc",
        ["Jobs:SchedulePollingSeconds"] = "1",
        // Web on PostgreSQL keeps page data once its change listener connects (PageDataCache): off here, so a test's
        // command counts and timings do not depend on when that happens; PageDataCacheTests turn it on.
        ["Caching:PageData"] = "false",
        ["Smtp:Host"] = "",
        // Outside Development each of these must be asked for by name (start-up refuses them otherwise): the test
        // host charges through the Simulated gateway, writes emails as .eml files and serves only this machine
        // (demo users, a loopback Portal:BaseUrl).
        ["Smtp:Delivery"] = "Pickup",
        ["Billing:Gateway"] = "Simulated",
        ["Hosting:LocalInstance"] = "true",
        ["Smtp:PickupDirectory"] = Path.Combine(Path.GetTempPath(), "chaos-tests-mail", Guid.NewGuid().ToString("N")),
        // Each host makes its own signing key (Testing generates one on first use).
        ["Licensing:Signing:KeyDirectory"] = Path.Combine(Path.GetTempPath(), "chaos-tests-keys", Guid.NewGuid().ToString("N")),
    };

    protected PortalFactory()
    {
        // Every test signs up and in from the same (unknown) address, some accounts many times: the form limits are raised
        // here and RateLimitTests set them low to prove them.
        foreach (var rule in new[] { FormRateLimits.SignIn, FormRateLimits.ForgotPassword, FormRateLimits.SignUp, FormRateLimits.ConfirmationEmail, FormRateLimits.CardSaving })
        {
            _settings[$"{FormRateLimitOptions.Section}:{rule}:PerAddress"] = "100000";
            _settings[$"{FormRateLimitOptions.Section}:{rule}:PerAccount"] = "100000";
        }
    }

    public abstract DatabaseProvider Provider { get; }

    /// <summary>The host environment; Testing (not Development: production's rules apply) unless a test needs another.</summary>
    public string EnvironmentName { get; set; } = "Testing";

    /// <summary>Replaces the system clock when set before the host starts.</summary>
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider? Clock { get; set; }

    /// <summary>Service replacements (test doubles of outside services), applied before the host starts.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>
    /// The culture every request runs under, as a server whose system language it is (de-DE: a decimal comma).
    /// Null: the test process's own culture.
    /// </summary>
    public CultureInfo? ServerCulture { get; set; }

    /// <summary>
    /// Seeds the demo customer, the demo member and the support desk user with their README passwords (<c>Seed:Demo</c>),
    /// before the host starts. Off unless a test signs in as one of them.
    /// </summary>
    public bool DemoData
    {
        get => _settings["Seed:Demo"] == "true";
        set => _settings["Seed:Demo"] = value ? "true" : "false";
    }

    public string SupportEmail => "support@chaosmodular.local";
    public string SupportPassword => "SupportDesk#2026";
    public string DemoEmail => "demo@chaosmodular.local";
    public string DemoPassword => "DemoCustomer#2026";

    /// <summary>Set before the host starts (the first client or Services call).</summary>
    public PortalFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            if (Clock is not null)
            {
                services.AddSingleton<TimeProvider>(Clock);
            }
            if (ServerCulture is { } culture)
            {
                services.AddSingleton<IStartupFilter>(new ServerCultureFilter(culture));
            }
            TestServices?.Invoke(services);
        });
    }

    public HttpClient CreatePortalClient()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            // https, as a browser reaches the portal: outside Development its cookies are Secure and travel over https only.
            BaseAddress = new Uri("https://localhost"),
        });
        PortalClient.Remember(client, Services);
        return client;
    }
}

/// <summary>Runs each request under a fixed culture, first in the pipeline (before model binding reads the form).</summary>
internal sealed class ServerCultureFilter(CultureInfo culture) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            return nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>
/// The embedded default: SQLite files in a temporary folder, jobs in Web's memory. The files start as copies of a
/// template that this test process migrated once (<see cref="MigratedTemplate"/>), so the host finds its migrations
/// applied, as a production restart does, and seeds as usual.
/// </summary>
public class SqlitePortalFactory : PortalFactory
{
    private static readonly Lazy<string> Template = new(() => MigratedTemplate(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "chaos-tests", Guid.NewGuid().ToString("N"));
    private bool _keepFiles;

    public SqlitePortalFactory()
        : this(fromTemplate: true)
    {
    }

    private SqlitePortalFactory(bool fromTemplate)
    {
        if (fromTemplate)
        {
            Directory.CreateDirectory(_directory);
            foreach (var file in Directory.EnumerateFiles(Template.Value))
            {
                File.Copy(file, Path.Combine(_directory, Path.GetFileName(file)));
            }
        }
        With("Database:Provider", "Sqlite");
        With("ConnectionStrings:Sqlite", $"Data Source={_directory}/chaos-{{module}}.db");
        With("Jobs:RunServerInWeb", "true");
    }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_keepFiles)
        {
            return;
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Migrates every module's SQLite file by starting the real host on an empty folder (no demo data), then empties every
    /// table but the migration histories (the data-protection key ring, anything start-up wrote). A host start on empty
    /// files took about 0.6 s here.
    /// </summary>
    private static string MigratedTemplate()
    {
        var template = Path.Combine(Path.GetTempPath(), "chaos-tests", $"template-{Environment.ProcessId}-{Guid.NewGuid():N}");
        using (var host = new SqlitePortalFactory(fromTemplate: false))
        {
            _ = host.Services;
            host._keepFiles = true;
            host.Dispose();
            Directory.Move(host._directory, template);
        }
        foreach (var copy in Directory.EnumerateFiles(template, "*.db"))
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={copy};Pooling=False");
            connection.Open();
            var tables = new List<string>();
            using (var list = connection.CreateCommand())
            {
                list.CommandText = $"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '{ModuleDatabase.HistoryTable}'";
                using var reader = list.ExecuteReader();
                while (reader.Read())
                {
                    tables.Add(reader.GetString(0));
                }
            }
            using var empty = connection.CreateCommand();
            empty.CommandText = "PRAGMA foreign_keys = OFF; " + string.Concat(tables.Select(t => $"DELETE FROM \"{t}\"; "));
            empty.ExecuteNonQuery();
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(template, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return template;
    }
}

/// <summary>The SQLite portal with the demo customer, member and support user seeded.</summary>
public sealed class DemoSqlitePortalFactory : SqlitePortalFactory
{
    public DemoSqlitePortalFactory() => DemoData = true;
}

/// <summary>
/// Another host on a PostgreSQL database that a <see cref="PostgresPortalFactory"/> made (and drops): a second Web
/// instance, or the same one after a restart.
/// </summary>
public sealed class SharedPostgresPortalFactory : PortalFactory
{
    public SharedPostgresPortalFactory(string databaseName)
    {
        With("Database:Provider", "PostgreSql");
        With("ConnectionStrings:PostgreSql", TestPostgres.ConnectionString(databaseName));
        With("Jobs:RunServerInWeb", "false");
    }

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}

/// <summary>The real server: a fresh database on the private cluster that scripts/test.sh starts.</summary>
public class PostgresPortalFactory : PortalFactory
{
    public PostgresPortalFactory()
    {
        DatabaseName = TestPostgres.CreateMigratedDatabase();
        With("Database:Provider", "PostgreSql");
        With("ConnectionStrings:PostgreSql", TestPostgres.ConnectionString(DatabaseName));
        With("Jobs:RunServerInWeb", "false");
    }

    public string DatabaseName { get; }

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        TestPostgres.DropDatabase(DatabaseName);
    }
}

/// <summary>The PostgreSQL portal with the demo customer, member and support user seeded.</summary>
public sealed class DemoPostgresPortalFactory : PostgresPortalFactory
{
    public DemoPostgresPortalFactory() => DemoData = true;
}

public static class TestPostgres
{
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("CHAOS_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=55432;Username=postgres;Password=postgres;Database=postgres";

    public static string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database, MaxPoolSize = 50 }.ToString();

    private static readonly Lazy<string> Template = new(CreateTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>An empty database: the host that starts on it migrates every module and prepares Hangfire's schema.</summary>
    public static string CreateDatabase()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"chaos_test_{Guid.NewGuid():N}");
        Execute($"CREATE DATABASE \"{name}\"");
        return name;
    }

    /// <summary>
    /// A database with every module's schema and Hangfire's, copied from a template that this test process migrated once
    /// (a PostgreSQL host start on an empty database took 1.2 s more than on a migrated one, and about 30 start per run).
    /// The host that starts on it finds its migrations applied, as a production restart does, and seeds as usual.
    /// </summary>
    public static string CreateMigratedDatabase()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"chaos_test_{Guid.NewGuid():N}");
        Execute($"CREATE DATABASE \"{name}\" TEMPLATE \"{Template.Value}\"");
        return name;
    }

    /// <summary>
    /// Migrates an empty database by starting the real host on it (no demo data), then keeps only the schemas: Hangfire's
    /// rows (recurring jobs, the seed record), the data-protection key ring and every module's rows are emptied, so each
    /// copy starts as a freshly migrated database. One template per test process (the unit tests run as two processes).
    /// </summary>
    private static string CreateTemplate()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"chaos_template_{Environment.ProcessId}_{Guid.NewGuid():N}");
        Execute($"CREATE DATABASE \"{name}\"");
        using (var host = new SharedPostgresPortalFactory(name))
        {
            _ = host.Services;
        }
        NpgsqlConnection.ClearAllPools();
        using (var connection = new NpgsqlConnection(ConnectionString(name)))
        {
            connection.Open();
            var tables = new List<string>();
            using (var list = new NpgsqlCommand("""
                SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
                WHERE schemaname NOT IN ('pg_catalog', 'information_schema', 'public')
                  AND tablename NOT IN ('__migrations_history', 'schema')
                """, connection))
            using (var reader = list.ExecuteReader())
            {
                while (reader.Read())
                {
                    tables.Add(reader.GetString(0));
                }
            }
            using var truncate = new NpgsqlCommand($"TRUNCATE {string.Join(", ", tables)} RESTART IDENTITY CASCADE", connection);
            truncate.ExecuteNonQuery();
        }
        NpgsqlConnection.ClearAllPools();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                DropDatabase(name);
            }
            catch (NpgsqlException)
            {
                // The cluster may be stopping with the run; it is private to the run and goes with it.
            }
        };
        return name;
    }

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public static void DropDatabase(string name)
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }
}
