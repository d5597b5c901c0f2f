using Npgsql;

namespace ChaosModular.E2E.Harness;

/// <summary>A fresh PostgreSQL database for one test run, dropped at the end.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string DefaultAdmin = "Host=127.0.0.1;Port=55432;Username=postgres;Password=postgres;Database=postgres";

    private readonly string _admin;

    private TestDatabase(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>What Web and Worker get as ConnectionStrings:PostgreSql.</summary>
    public string ConnectionString { get; }

    /// <summary>Uses <c>CHAOS_TEST_POSTGRES</c> (the admin connection string scripts/pg.sh prints), else the private cluster's default.</summary>
    public static async Task<TestDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable("CHAOS_TEST_POSTGRES");
        var database = new TestDatabase(string.IsNullOrWhiteSpace(admin) ? DefaultAdmin : admin, $"chaos_e2e_{Guid.NewGuid():N}"[..24]);
        await using var connection = new NpgsqlConnection(database._admin);
        try
        {
            await connection.OpenAsync();
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable with '{database._admin}'. Start the private cluster: scripts/pg.sh start", ex);
        }
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return database;
    }

    /// <summary>Runs a query against the test database and returns the first column of every row as text.</summary>
    public async Task<IReadOnlyList<string>> QueryAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? "" : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }
        return values;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using (var terminate = new NpgsqlCommand(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()", connection))
        {
            terminate.Parameters.AddWithValue("name", Name);
            await terminate.ExecuteNonQueryAsync();
        }
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
