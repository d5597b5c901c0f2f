using System.Text;
using ChaosModular.Modules.Infrastructure.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChaosModular.Modules.Infrastructure.Caching;

/// <summary>Whether this host keeps page data (<see cref="PageDataCache"/>): Web, on PostgreSQL, with <c>Caching:PageData</c> on.</summary>
public sealed record DataChangeListenerState(bool Enabled);

/// <summary>
/// Hears every committed change to the modules' tables on PostgreSQL and moves <see cref="DataVersions"/>, so
/// <see cref="PageDataCache"/> never gives what another process (the Worker, another Web, a script) has changed since.
/// <para>On connecting it makes sure every module table has the <c>chaos_data_changed</c> statement trigger (a table a
/// migration added since gets it then; the outbox and migration-history tables are left out, as no page reads them):
/// after any INSERT, UPDATE, DELETE or TRUNCATE the trigger sends <c>NOTIFY chaos_data_changed, '&lt;schema&gt;'</c>, which
/// PostgreSQL delivers only once the writing transaction commits, once per schema and transaction. Then it
/// <c>LISTEN</c>s on its own connection. Only while it listens does the cache keep anything; connecting, losing the
/// connection and reconnecting each drop every entry, since changes may have gone unheard.</para>
/// </summary>
internal sealed class DataChangeListener(DataVersions versions, IOptions<DatabaseOptions> database, IOptions<PageDataCacheOptions> options,
    ILogger<DataChangeListener> logger) : BackgroundService
{
    public const string Channel = "chaos_data_changed";

    /// <summary>Tables no page reads: every write would only empty the cache.</summary>
    private static readonly string[] Unwatched = [ModuleDatabase.HistoryTable, "outbox_messages", "outbox_handled"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var first = TimeSpan.FromSeconds(Math.Max(1, options.Value.ListenerRetrySeconds));
        var retry = first;
        while (!stoppingToken.IsCancellationRequested)
        {
            var listened = false;
            try
            {
                await ListenAsync(() => listened = true, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // After a connection that worked, the first retry is quick again.
                retry = listened ? first : retry;
                logger.LogWarning("Listening for data changes failed ({Error}); page data is read afresh until it listens again, retrying in {Seconds} s.",
                    e.GetType().Name + ": " + e.Message, retry.TotalSeconds);
            }
            finally
            {
                versions.SetListening(false);
            }
            try
            {
                await Task.Delay(retry, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            retry = TimeSpan.FromSeconds(Math.Min(30, retry.TotalSeconds * 2));
        }
    }

    private async Task ListenAsync(Action listening, CancellationToken stoppingToken)
    {
        var check = TimeSpan.FromSeconds(Math.Max(1, options.Value.ListenerCheckSeconds));
        var builder = new NpgsqlConnectionStringBuilder(database.Value.ConnectionString)
        {
            Pooling = false,
            ApplicationName = "chaos-data-changes",
            // A connection the network dropped without closing it fails its next check within this, not the default 30 s.
            CommandTimeout = 10,
            TcpKeepAlive = true,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(stoppingToken);
        connection.Notification += (_, e) => versions.Changed(e.Payload);
        await using (var install = new NpgsqlCommand(InstallSql(versions.Schemas), connection))
        {
            await install.ExecuteNonQueryAsync(stoppingToken);
        }
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }
        versions.SetListening(true);
        listening();
        logger.LogInformation("Listening for data changes of {Count} module schemas.", versions.Schemas.Count);
        await using var unwatched = new NpgsqlCommand(UnwatchedSql(versions.Schemas), connection);
        var lastCheck = System.Diagnostics.Stopwatch.StartNew();
        while (!stoppingToken.IsCancellationRequested)
        {
            await connection.WaitAsync(check, stoppingToken);
            if (lastCheck.Elapsed < check)
            {
                continue;
            }
            // Every Caching:ListenerCheckSeconds (20 s), busy or quiet: the question proves the connection alive (one that
            // died unnoticed ends listening within the check and its 10 s timeout), and a module table without the
            // trigger (one another Web's migration added since this one connected) gets it, and everything kept is
            // dropped, since it may have read that table.
            if (Convert.ToInt64(await unwatched.ExecuteScalarAsync(stoppingToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                versions.ChangedAll();
                await using var install = new NpgsqlCommand(InstallSql(versions.Schemas), connection);
                await install.ExecuteNonQueryAsync(stoppingToken);
                versions.ChangedAll();
                logger.LogInformation("Module tables added since the listener connected now notify their changes.");
            }
            lastCheck.Restart();
        }
    }

    /// <summary>How many module tables lack the trigger.</summary>
    internal static string UnwatchedSql(IReadOnlyList<string> schemas) => $"""
        SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY (ARRAY[{string.Join(",", schemas.Select(Literal))}]::text[]) AND c.relkind IN ('r', 'p')
          AND c.relname <> ALL (ARRAY[{string.Join(",", Unwatched.Select(Literal))}]::text[])
          AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'chaos_data_changed')
        """;

    /// <summary>
    /// One statement, safe to run from several Webs at once (an advisory lock for its transaction): per module schema that
    /// exists, the trigger function, and the trigger on each of its tables that lacks it.
    /// </summary>
    internal static string InstallSql(IReadOnlyList<string> schemas)
    {
        var list = new StringBuilder();
        foreach (var schema in schemas)
        {
            list.Append(list.Length == 0 ? "" : ",").Append(Literal(schema));
        }
        var unwatched = string.Join(",", Unwatched.Select(Literal));
        return $$"""
            DO $install$
            DECLARE s text; t record;
            BEGIN
              PERFORM pg_advisory_xact_lock(hashtext('{{Channel}}'));
              -- A table busy with a long transaction makes this fail (and the listener retry) instead of queueing writers behind it.
              PERFORM set_config('lock_timeout', '5s', true);
              FOREACH s IN ARRAY ARRAY[{{list}}]::text[] LOOP
                CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = s);
                -- Created, or replaced when its body differs, only then: a Web whose role does not own the schema finds it in place.
                IF NOT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                               WHERE n.nspname = s AND p.proname = 'chaos_notify_data_changed'
                                 AND p.prosrc = format(' BEGIN PERFORM pg_notify(%L, TG_TABLE_SCHEMA); RETURN NULL; END ', '{{Channel}}')) THEN
                  EXECUTE format('CREATE OR REPLACE FUNCTION %I.chaos_notify_data_changed() RETURNS trigger LANGUAGE plpgsql AS '
                    '$f$ BEGIN PERFORM pg_notify(%L, TG_TABLE_SCHEMA); RETURN NULL; END $f$', s, '{{Channel}}');
                END IF;
                FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = s AND c.relkind IN ('r', 'p') AND c.relname <> ALL (ARRAY[{{unwatched}}]::text[])
                           AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'chaos_data_changed') LOOP
                  EXECUTE format('CREATE TRIGGER chaos_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I.%I '
                    'FOR EACH STATEMENT EXECUTE FUNCTION %I.chaos_notify_data_changed()', s, t.relname, s);
                END LOOP;
              END LOOP;
            END
            $install$
            """;
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
