using System.Data.Common;
using ChaosModular.Modules.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ChaosModular.Modules.Infrastructure.Caching;

/// <summary>
/// On one module's context: records the module's schema as read for every query (<see cref="DataReads"/>), and moves its
/// counter in <see cref="DataVersions"/> when this process changes its data: after any command that is not a plain
/// <c>SELECT</c> (a save's statements, <c>ExecuteUpdate</c>/<c>ExecuteDelete</c>, raw SQL) and after every commit, so a page
/// read right after this process's own change never trusts an entry made before it. Other processes' changes arrive
/// through <see cref="DataChangeListener"/>.
/// </summary>
internal sealed class DataChangeInterceptor(DataVersions versions, int index) : DbCommandInterceptor, IDbTransactionInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Before(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Before(command);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        After(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        After(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Before(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result,
        CancellationToken cancellationToken = default)
    {
        Before(command);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        After(command);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        After(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        versions.Changed(index);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        versions.Changed(index);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        versions.Changed(index);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        versions.Changed(index);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => versions.Changed(index);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        versions.Changed(index);
        return Task.CompletedTask;
    }

    private void Before(DbCommand command)
    {
        DataReads.Record(index);
        if (!IsSelect(command.CommandText))
        {
            versions.Changed(index);
        }
    }

    private void After(DbCommand command)
    {
        if (!IsSelect(command.CommandText))
        {
            versions.Changed(index);
        }
    }

    /// <summary>
    /// A plain query: its first word, after blank lines and <c>--</c> comment lines (EF's query tags), is SELECT. Anything
    /// else (INSERT … RETURNING, UPDATE, a data-modifying WITH, DDL) counts as a change.
    /// </summary>
    internal static bool IsSelect(string text)
    {
        var span = text.AsSpan();
        while (true)
        {
            span = span.TrimStart();
            if (span.StartsWith("--", StringComparison.Ordinal))
            {
                var end = span.IndexOf('\n');
                if (end < 0)
                {
                    return false;
                }
                span = span[(end + 1)..];
                continue;
            }
            return span.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
                && (span.Length == 6 || !char.IsLetterOrDigit(span[6]));
        }
    }

    // The remaining transaction events change nothing that was committed.
    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result) => result;
    public ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(result);
}

/// <summary>Puts a <see cref="DataChangeInterceptor"/> on every module context of the process (Web, with the page cache on).</summary>
internal sealed class DataChangeContexts(DataVersions versions) : IModuleDbContextConfiguration
{
    public void Configure(string moduleName, DbContextOptionsBuilder options)
    {
        var index = versions.IndexOf(moduleName);
        if (index >= 0)
        {
            options.AddInterceptors(new DataChangeInterceptor(versions, index));
        }
    }
}
