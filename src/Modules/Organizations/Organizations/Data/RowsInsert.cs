using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace ChaosModular.Organizations.Data;

/// <summary>
/// Inserts many rows of one entity in the caller's transaction: COPY on PostgreSQL, multi-row INSERT statements on the
/// others (the change tracker's per-entity work made 25,000 bulk-invite rows take tens of seconds). Table, columns,
/// quoting, store types and value conversions (enums as strings, SQLite's text GUIDs) all come from the EF model, so
/// every provider gets what EF would write.
/// </summary>
internal static class RowsInsert
{
    /// <summary>SQL Server takes at most 2,100 parameters a statement; PostgreSQL 65,535 and SQLite 32,766.</summary>
    private const int MaxSqlServerParameters = 2000;

    private const int MaxParameters = 30000;

    private const int MaxRowsPerStatement = 1000;

    public static async Task InsertRowsAsync<T>(this DbContext db, IReadOnlyList<T> rows, CancellationToken cancellationToken) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        if (db.Database.CurrentTransaction is not { } transaction)
        {
            throw new InvalidOperationException("Rows are inserted in the caller's transaction, with what they belong to.");
        }
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = sql.DelimitIdentifier(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties().ToList();
        var columns = string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName())));
        var mappings = properties.Select(p => p.GetRelationalTypeMapping()).ToList();
        var getters = properties.Select(p => p.GetGetter()).ToList();
        var maxParameters = db.Database.ProviderName?.Contains("SqlServer", StringComparison.Ordinal) == true ? MaxSqlServerParameters : MaxParameters;
        var perStatement = Math.Min(MaxRowsPerStatement, maxParameters / properties.Count);

        var connection = db.Database.GetDbConnection();
        if (connection is NpgsqlConnection npgsql)
        {
            // Binding tens of thousands of parameters is most of an INSERT's time on PostgreSQL: COPY streams the rows.
            await using var import = await npgsql.BeginBinaryImportAsync($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            var types = mappings.Select(m => m.StoreType.Split('(')[0]).ToList();
            foreach (var row in rows)
            {
                await import.StartRowAsync(cancellationToken);
                for (var c = 0; c < properties.Count; c++)
                {
                    var value = getters[c].GetClrValueUsingContainingEntity(row);
                    if (value is null)
                    {
                        await import.WriteNullAsync(cancellationToken);
                    }
                    else
                    {
                        await import.WriteAsync(mappings[c].Converter?.ConvertToProvider(value) ?? value, types[c], cancellationToken);
                    }
                }
            }
            await import.CompleteAsync(cancellationToken);
            return;
        }
        foreach (var chunk in rows.Chunk(perStatement))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction.GetDbTransaction();
            var text = new StringBuilder("INSERT INTO ").Append(table).Append(" (").Append(columns).Append(") VALUES ");
            var n = 0;
            for (var r = 0; r < chunk.Length; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < properties.Count; c++)
                {
                    var name = "p" + n.ToString(CultureInfo.InvariantCulture);
                    n++;
                    text.Append(c == 0 ? "" : ", ").Append(sql.GenerateParameterName(name));
                    command.Parameters.Add(mappings[c].CreateParameter(command, sql.GenerateParameterName(name), getters[c].GetClrValueUsingContainingEntity(chunk[r]), properties[c].IsNullable));
                }
                text.Append(')');
            }
#pragma warning disable CA2100 // Only identifiers from the model and generated parameter names: no value is in the text.
            command.CommandText = text.ToString();
#pragma warning restore CA2100
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
