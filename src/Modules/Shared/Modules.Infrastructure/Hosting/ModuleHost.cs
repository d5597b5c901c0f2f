using System.Diagnostics;
using System.Runtime.CompilerServices;
using ChaosModular.Modules.Infrastructure.Caching;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Modules.Infrastructure.Persistence;
using ChaosModular.Modules.Infrastructure.Telemetry;
using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChaosModular.Modules.Infrastructure.Hosting;

/// <summary>What Web and Worker share: settings, the modules they list, telemetry, Hangfire storage and start-up.</summary>
public static class ModuleHost
{
    public static IHostApplicationBuilder AddChaosModules(this IHostApplicationBuilder builder, IReadOnlyList<IModule> modules, HostRole role)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddSingleton(modules);
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentCustomer, CurrentCustomer>();
        services.ConfigureOptions<InvariantFormValues>();
        services.AddSingleton(configuration["Testing:ClockOffsetFile"] is { Length: > 0 } clockFile ? new TravelClock(clockFile) : TimeProvider.System);

        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .Configure<IHostEnvironment>((o, env) =>
            {
                o.ConnectionString ??= configuration.GetConnectionString(o.Provider);
                o.ContentRoot = env.ContentRootPath;
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        services.AddOptions<HostingOptions>()
            .Bind(configuration.GetSection(HostingOptions.Section))
            .Configure(o =>
            {
                o.SeedDemo = configuration.GetValue<bool>("Seed:Demo");
                o.PortalBaseUrl = configuration["Portal:BaseUrl"] ?? "";
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<HostingOptions>, HostingOptionsValidator>();

        var jobsSection = configuration.GetSection(JobsOptions.Section);
        var jobs = jobsSection.Get<JobsOptions>() ?? new JobsOptions();
        services.AddOptions<JobsOptions>().Bind(jobsSection);
        if (jobs.DrainBatchSize < 1 || jobs.RenewalPageSize < 1)
        {
            throw new OptionsValidationException(JobsOptions.Section, typeof(JobsOptions),
                [$"Jobs:DrainBatchSize ({jobs.DrainBatchSize}) and Jobs:RenewalPageSize ({jobs.RenewalPageSize}) must be at least 1."]);
        }
        var provider = ProviderOrDefault(configuration);
        if (provider == DatabaseProvider.Sqlite && (role == HostRole.Worker || !jobs.RunServerInWeb))
        {
            throw new OptionsValidationException(JobsOptions.Section, typeof(JobsOptions),
                [$"Database:Provider=Sqlite keeps background jobs in Web's memory, so it needs Jobs:RunServerInWeb=true and no separate Worker. Use PostgreSql or SqlServer to run a Worker (host: {role})."]);
        }

        services.AddPortalTelemetry(configuration, role);
        services.AddPageDataCache(configuration, role, provider);
        foreach (var module in modules)
        {
            module.Register(services, configuration);
        }

        var prepareSchema = jobs.PrepareSchema ?? role == HostRole.Web;
        // The storage is this host's own singleton, not Hangfire's process-wide JobStorage.Current,
        // so several hosts in one process (the tests) never share or swap queues.
        services.AddSingleton<JobStorage>(sp =>
        {
            var db = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return db.ParsedProvider switch
            {
                DatabaseProvider.PostgreSql => CreatePostgreSqlStorage(db.ConnectionString!, prepareSchema),
                DatabaseProvider.SqlServer => CreateSqlServerStorage(db.ConnectionString!, prepareSchema),
                _ => CreateInMemoryStorage(),
            };
        });
        services.AddSingleton<DrainFanOut>();
        services.AddSingleton<SeedRecord>();
        // Before AddHangfire, which only adds its process-wide provider when none is registered: this host's
        // job telemetry filter joins Hangfire's global filters and attributes.
        services.AddSingleton<IJobFilterProvider>(TelemetryServiceCollectionExtensions.HostJobFilters);
        services.AddHangfire((sp, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(sp.GetRequiredService<JobStorage>()));

        if (role == HostRole.Worker || jobs.RunServerInWeb)
        {
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = Math.Max(1, jobs.WorkerCount);
                o.SchedulePollingInterval = TimeSpan.FromSeconds(Math.Max(1, jobs.SchedulePollingSeconds));
                o.ServerName = $"{Environment.MachineName}:{role}";
            });
            services.AddHostedService<RecurringJobsRegistration>();
        }
        return builder;
    }

    /// <summary>Applies each module's migrations and seed data (Web, when Database:MigrateOnStartup).</summary>
    public static async Task InitializeModulesAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var db = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (!db.MigrateOnStartup)
        {
            return;
        }
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ModuleHost));
        var modules = services.GetRequiredService<IReadOnlyList<IModule>>();
        var started = Stopwatch.GetTimestamp();
        // Most starts find nothing to migrate: one query confirms that for every module, and only the others are migrated.
        var upToDate = await MigrationsCheck.UpToDateModulesAsync(modules, db.ParsedProvider, db.ConnectionString!, logger, cancellationToken);
        logger.LogInformation("Migrations of {UpToDate} of {Count} modules confirmed applied in {Ms:0} ms.", upToDate.Count, modules.Count,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (upToDate.Count == modules.Count)
        {
            // Nothing to migrate: the other core builds the modules' EF models meanwhile (Accounts first, whose data
            // protection keys the host loads before it listens), instead of the first requests building them in turn.
            _ = Task.Run(() => WarmModelsAsync(services, modules, logger), CancellationToken.None);
        }
        // Seeds likewise: a module whose seeders already ran with this build and these inputs is not seeded again.
        var seeds = services.GetRequiredService<SeedRecord>();
        var seeded = seeds.Recorded();
        foreach (var module in modules)
        {
            var step = Stopwatch.GetTimestamp();
            if (!upToDate.Contains(module.Name))
            {
                logger.LogInformation("Migrating module {Module} on {Provider}.", module.Name, db.ParsedProvider);
                await services.MigrateAsync(module, cancellationToken);
            }
            var migrated = Stopwatch.GetTimestamp();
            var ran = await services.SeedUnlessUnchangedAsync(module, seeds, seeded, cancellationToken);
            logger.LogInformation("Module {Module} initialized: migrations {MigrateMs:0} ms, seeders {SeedMs:0} ms ({Seeded}).", module.Name,
                Stopwatch.GetElapsedTime(step, migrated).TotalMilliseconds, Stopwatch.GetElapsedTime(migrated).TotalMilliseconds,
                ran ? "ran" : "skipped: unchanged since they last ran");
        }
    }

    private static async Task WarmModelsAsync(IServiceProvider services, IReadOnlyList<IModule> modules, ILogger logger)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            foreach (var module in modules)
            {
                await using var scope = services.CreateAsyncScope();
                _ = ((Microsoft.EntityFrameworkCore.DbContext)scope.ServiceProvider.GetRequiredService(module.DbContextType)).Model;
            }
            logger.LogInformation("Module models built in {Ms:0} ms.", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
        {
            // The host stopped first (a test host disposed right after start): nothing to warm any more.
        }
        catch (Exception e)
        {
            // Only a head start: a model that cannot be built fails where it is used, with the request's error handling.
            logger.LogWarning(e, "Building the module models ahead of use failed.");
        }
    }

    // A method per storage, so a process loads only the Hangfire storage it uses (the JIT loads an assembly for every
    // type a method it compiles names).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static JobStorage CreateSqlServerStorage(string connectionString, bool prepareSchema) =>
        new SqlServerStorage(connectionString, new SqlServerStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = prepareSchema,
        });

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static JobStorage CreateInMemoryStorage() => new Hangfire.InMemory.InMemoryStorage();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static PostgreSqlStorage CreatePostgreSqlStorage(string connectionString, bool prepareSchema)
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = prepareSchema,
            QueuePollInterval = TimeSpan.FromSeconds(1),
        };
        return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, options), options);
    }

    private static DatabaseProvider ProviderOrDefault(IConfiguration configuration) =>
        Enum.TryParse<DatabaseProvider>(configuration[$"{DatabaseOptions.Section}:Provider"] ?? nameof(DatabaseProvider.Sqlite), true, out var p)
            ? p
            : DatabaseProvider.Sqlite;

    private sealed class RecurringJobsRegistration(IRecurringJobManager recurring, IReadOnlyList<IModule> modules, IOptions<JobsOptions> jobs) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            recurring.AddOrUpdate<OutboxJobs>(OutboxJobs.SweepJobId, j => j.SweepAsync(CancellationToken.None), Cron.Minutely());
            foreach (var module in modules)
            {
                module.RegisterRecurringJobs(recurring);
            }
            foreach (var jobId in (jobs.Value.TriggerOnStart ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                recurring.Trigger(jobId);
            }
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
