using Microsoft.Extensions.Options;

namespace ChaosModular.Modules.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
    SqlServer,
}

/// <summary>The <c>Database</c> section plus the provider's entry in <c>ConnectionStrings</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>Web applies migrations at start-up; the Worker leaves that to Web.</summary>
    public bool MigrateOnStartup { get; set; }

    /// <summary>Filled from <c>ConnectionStrings:{Provider}</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Where relative SQLite files live (the host's content root).</summary>
    public string ContentRoot { get; set; } = Directory.GetCurrentDirectory();

    public DatabaseProvider ParsedProvider =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var p) && Enum.IsDefined(p)
            ? p
            : throw new InvalidOperationException($"Database:Provider '{Provider}' is not one of Sqlite, PostgreSql, SqlServer.");
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!Enum.TryParse<DatabaseProvider>(options.Provider, ignoreCase: true, out var provider) || !Enum.IsDefined(provider))
        {
            return ValidateOptionsResult.Fail(
                $"Database:Provider is '{options.Provider}'; it must be one of Sqlite, PostgreSql, SqlServer.");
        }
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"ConnectionStrings:{provider} is empty; set it for Database:Provider={provider}.");
        }
        if (provider == DatabaseProvider.Sqlite && !options.ConnectionString.Contains("{module}", StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Fail(
                "ConnectionStrings:Sqlite must contain '{module}' (for example 'Data Source=App_Data/chaos-{module}.db'): " +
                "SQLite has no schemas, so each module keeps its own file.");
        }
        return ValidateOptionsResult.Success;
    }
}
