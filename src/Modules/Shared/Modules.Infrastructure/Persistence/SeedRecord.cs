using System.Security.Cryptography;
using System.Text;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosModular.Modules.Infrastructure.Persistence;

/// <summary>
/// Seeds checked, not re-run: after a module's seeders succeed, the start records their fingerprint (the module
/// assembly's build id, each seeder's type and <see cref="IModuleSeeder.InputsAsync"/>, and the <c>Seed</c> settings
/// without passwords); a later start with the same fingerprint skips them. A rebuilt module, a changed catalog file or a
/// changed <c>Seed</c> setting runs them again; a seeding that fails records nothing.
/// </summary>
/// <remarks>
/// The record lives in the job storage (the Hangfire hash <see cref="HashKey"/>), which every host already opens and
/// PostgreSQL and SQL Server keep, so it needs no table of its own. With SQLite the job storage is in memory, so nothing
/// is recorded and every start seeds, as before. To force a seed, delete the hash (or the module's field in it).
/// </remarks>
public sealed class SeedRecord(IServiceProvider services, IOptions<DatabaseOptions> database, IConfiguration configuration)
{
    private bool Kept => database.Value.ParsedProvider != DatabaseProvider.Sqlite;

    public const string HashKey = "chaos:seeded";

    /// <summary>The module's fingerprint now; the scope's seeders are asked for their inputs.</summary>
    public async Task<string> FingerprintAsync(IModule module, IServiceProvider scope, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append(module.Name).Append('\n').Append(module.GetType().Assembly.ManifestModule.ModuleVersionId).Append('\n');
        foreach (var seeder in scope.GetKeyedServices<IModuleSeeder>(module.Name))
        {
            text.Append(seeder.GetType().FullName).Append('\n').Append(await seeder.InputsAsync(cancellationToken)).Append('\n');
        }
        foreach (var (key, value) in configuration.GetSection("Seed").AsEnumerable(makePathsRelative: true)
            .Where(p => p.Value is not null && !p.Key.Contains("Password", StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// This host's job storage, after Hangfire's configuration (its log provider is process-wide: configured first, so a
    /// storage opened before the host starts logs to this host, not to one a test already disposed).
    /// </summary>
    private JobStorage Storage()
    {
        services.GetRequiredService<IGlobalConfiguration>();
        return services.GetRequiredService<JobStorage>();
    }

    /// <summary>Each module's last recorded fingerprint.</summary>
    public IReadOnlyDictionary<string, string> Recorded()
    {
        if (!Kept)
        {
            return new Dictionary<string, string>();
        }
        using var connection = Storage().GetConnection();
        return connection.GetAllEntriesFromHash(HashKey) ?? new Dictionary<string, string>();
    }

    public void Record(string module, string fingerprint)
    {
        if (!Kept)
        {
            return;
        }
        using var connection = Storage().GetConnection();
        connection.SetRangeInHash(HashKey, [new KeyValuePair<string, string>(module, fingerprint)]);
    }
}
