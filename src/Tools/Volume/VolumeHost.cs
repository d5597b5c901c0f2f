using ChaosModular.Composition;
using ChaosModular.Modules.Infrastructure.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Volume;

/// <summary>
/// The modules composed as the Worker composes them (<see cref="ModuleList"/>), with Web's start-up: migrations and the
/// modules' seeders run first (with <c>Seed:Demo</c> for the account profile), so the provider switch, schemas and demo
/// data are the portal's own. The host is built, never started: no job server, no recurring jobs.
/// </summary>
internal static class VolumeHost
{
    public static IHost Build(VolumeArguments arguments, Action<IConfigurationBuilder>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. arguments.HostArguments],
            // Development unless told otherwise: the demo seed and the signing key made on first start, as for a local Web.
            EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Development,
            ApplicationName = typeof(VolumeHost).Assembly.GetName().Name,
        });
        // The tool's own settings (quiet logging; named apart from appsettings.json so no build output meets Web's) over those
        // of the content root (run from src/Web: Web's appsettings), then the environment, the arguments and the caller's.
        builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "volume.settings.json"), optional: true);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine([.. arguments.HostArguments]);
        configure?.Invoke(builder.Configuration);
        var sqlite = string.Equals(builder.Configuration["Database:Provider"] ?? "Sqlite", "Sqlite", StringComparison.OrdinalIgnoreCase);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:MigrateOnStartup"] = "true",
            ["Seed:Demo"] = arguments.Profile == VolumeProfile.Account ? "true" : builder.Configuration["Seed:Demo"] ?? "false",
            // SQLite keeps jobs in memory and needs the Web role's in-process server; it never starts here.
            ["Jobs:RunServerInWeb"] = sqlite ? "true" : "false",
        });
        builder.AddChaosModules(ModuleList.All, HostRole.Web);
        builder.Services.AddScoped<AccountVolume>();
        builder.Services.AddScoped<JobsVolume>();
        builder.Services.AddScoped<VolumeCatalog>();
        // The tests give a fixed clock here, so two runs of one seed are compared on the same "today".
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Migrates and seeds every module, then fills the profile.</summary>
    public static async Task<VolumeReport> RunAsync(IHost host, VolumeArguments arguments, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await host.Services.InitializeModulesAsync(cancellationToken);
        host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(VolumeHost))
            .LogInformation("Migrations and seeders: {Seconds:0.0} s.", watch.Elapsed.TotalSeconds);
        await using var scope = host.Services.CreateAsyncScope();
        return arguments.Profile == VolumeProfile.Account
            ? await scope.ServiceProvider.GetRequiredService<AccountVolume>().FillAsync(arguments, cancellationToken)
            : await scope.ServiceProvider.GetRequiredService<JobsVolume>().FillAsync(arguments, cancellationToken);
    }
}

/// <summary>Rows written, by table.</summary>
internal sealed class VolumeReport
{
    public SortedDictionary<string, int> Rows { get; } = new(StringComparer.Ordinal);

    public void Add(string table, int count) => Rows[table] = Rows.GetValueOrDefault(table) + count;

    public override string ToString() => string.Join(Environment.NewLine, Rows.Select(r => $"{r.Key,-28} {r.Value,9:N0}"));
}
