using System.Collections.Concurrent;
using System.Data.Common;
using ChaosModular.Modules.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ChaosModular.UnitTests.Infrastructure;

/// <summary>
/// Records the SQL commands every module DbContext executes while serving a request that carries the
/// <see cref="Header"/> header, so a test can count the commands of one page view through the real pipeline
/// (background jobs and other requests running meanwhile are not counted). Register with <see cref="AddTo"/>.
/// </summary>
public sealed class SqlCommandCounter(IHttpContextAccessor http) : DbCommandInterceptor, IModuleDbContextConfiguration
{
    public const string Header = "X-Test-Count-Sql";

    private readonly ConcurrentDictionary<string, ConcurrentQueue<RecordedCommand>> _commands = new(StringComparer.Ordinal);
    private readonly AsyncLocal<ConcurrentQueue<RecordedCommand>?> _watched = new();

    /// <summary>Records the commands run by this async flow (outside any request) into the returned queue from now on.</summary>
    public ConcurrentQueue<RecordedCommand> Watch() => _watched.Value = new ConcurrentQueue<RecordedCommand>();

    public static void AddTo(IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<SqlCommandCounter>();
        services.AddSingleton<IModuleDbContextConfiguration>(sp => sp.GetRequiredService<SqlCommandCounter>());
    }

    public void Configure(string moduleName, DbContextOptionsBuilder options) => options.AddInterceptors(this);

    /// <summary>Requests <paramref name="path"/> with <paramref name="client"/> and returns the response and the SQL it ran.</summary>
    public async Task<(HttpResponseMessage Response, IReadOnlyList<RecordedCommand> Commands)> RequestAsync(HttpClient client, string path)
    {
        var token = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add(Header, token);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return (response, _commands.TryRemove(token, out var commands) ? [.. commands] : []);
    }

    private void Record(DbCommand command)
    {
        _watched.Value?.Enqueue(new RecordedCommand(command.CommandText, []));
        if (http.HttpContext?.Request.Headers[Header].ToString() is { Length: > 0 } token)
        {
            _commands.GetOrAdd(token, _ => new ConcurrentQueue<RecordedCommand>())
                .Enqueue(new RecordedCommand(command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => KeyValuePair.Create(p.ParameterName, p.Value))]));
        }
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }
}

/// <summary>A command as it was sent: its SQL and its parameters' names and values.</summary>
public sealed record RecordedCommand(string Text, IReadOnlyList<KeyValuePair<string, object?>> Parameters)
{
    public override string ToString() => Text;
}
