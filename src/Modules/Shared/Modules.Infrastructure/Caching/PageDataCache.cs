using System.Collections.Concurrent;
using ChaosModular.Modules.Infrastructure.Hosting;
using ChaosModular.Modules.Infrastructure.Persistence;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosModular.Modules.Infrastructure.Caching;

/// <summary>
/// <c>Caching</c> settings of the page data cache (<see cref="PageDataCache"/>).
/// </summary>
public sealed class PageDataCacheOptions
{
    public const string Section = "Caching";

    /// <summary>
    /// <c>Caching:PageData</c>: keep what a page read (Web on PostgreSQL only: it needs the database's change notifications).
    /// On unless set to false.
    /// </summary>
    public bool PageData { get; set; } = true;

    /// <summary><c>Caching:PageDataEntries</c>: the most entries kept (a page of 25 rows is a few tens of KB, an invoice PDF about as much); 1,000 unless set.</summary>
    public int PageDataEntries { get; set; } = 1000;

    /// <summary><c>Caching:PageDataSeconds</c>: the longest an entry is kept even when nothing changed; 60 unless set.</summary>
    public int PageDataSeconds { get; set; } = 60;

    /// <summary>
    /// <c>Caching:ListenerCheckSeconds</c>: how often a quiet change listener checks its connection and looks for module
    /// tables without the change trigger; 20 unless set.
    /// </summary>
    public int ListenerCheckSeconds { get; set; } = 20;

    /// <summary><c>Caching:ListenerRetrySeconds</c>: the first wait before the change listener connects again (doubling to 30 s); 1 unless set.</summary>
    public int ListenerRetrySeconds { get; set; } = 1;
}

/// <summary>
/// What a page's handler read, kept in Web's memory and given again while nothing it read has changed, so a customer
/// paging back and forth, or reloading, costs no database work beyond the session check.
/// <para>An entry is the handler's result for one key (the handler, the customer and its inputs) and the current UTC
/// minute, so anything that depends on the clock (today's status of an invoice, a renewal's cut-off) is read again at
/// least every minute and a moved test clock never meets an old entry. It is given only while
/// <see cref="DataVersions.Unchanged"/>: the counters of every module schema the handler's queries touched (recorded as
/// they run, <see cref="DataReads"/>) are where they were before it ran, and this process is listening to the database's
/// change notifications. Without them (SQLite, SQL Server, the listener not connected, <c>Caching:PageData=false</c>)
/// every call runs the handler.</para>
/// <para>Results are shared between requests: only read-only values (records, lists, entities read without tracking) are
/// kept, and the pages only read them.</para>
/// </summary>
public sealed class PageDataCache : IDisposable
{
    private readonly DataVersions _versions;
    private readonly TimeProvider _clock;
    private readonly MemoryCache? _entries;
    private readonly TimeSpan _lifetime;
    private readonly ConcurrentDictionary<EntryKey, Reading> _reading = new();

    public PageDataCache(DataVersions versions, TimeProvider clock, IOptions<PageDataCacheOptions> options, DataChangeListenerState state)
    {
        _versions = versions;
        _clock = clock;
        var o = options.Value;
        _lifetime = TimeSpan.FromSeconds(Math.Max(1, o.PageDataSeconds));
        if (state.Enabled)
        {
            _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, o.PageDataEntries) });
        }
    }

    /// <summary>Whether entries are kept at all in this process (Web on PostgreSQL with the cache on).</summary>
    public bool Enabled => _entries is not null;

    /// <summary>
    /// The result of <paramref name="read"/> for <paramref name="key"/>: kept from an earlier call while nothing it read has
    /// changed, otherwise read now (and kept when this process is listening). A null result is not kept.
    /// </summary>
    /// <param name="key">Equal for equal inputs (a record or tuple of the handler's type, the customer and its inputs).</param>
    public async Task<T?> GetOrReadAsync<T>(object key, Func<CancellationToken, Task<T?>> read, CancellationToken cancellationToken) where T : class
    {
        if (_entries is null)
        {
            return await read(cancellationToken);
        }
        var entryKey = new EntryKey(key, _clock.GetUtcNow().UtcTicks / TimeSpan.TicksPerMinute);
        if (_entries.TryGetValue(entryKey, out Entry? kept) && kept is not null && _versions.Unchanged(kept.Before, kept.Read) && kept.Value is T value)
        {
            // Inside another cached read, that read depends on what this one read.
            DataReads.Add(kept.Read);
            return value;
        }
        // A read of the same key already under way since which nothing changed anywhere is waited for, not repeated: at
        // a minute's turn, or a key's first view under load, the database answers once, not once per request.
        if (_reading.TryGetValue(entryKey, out var underway) && _versions.Unchanged(underway.Before, ulong.MaxValue))
        {
            try
            {
                if (await underway.Result.WaitAsync(cancellationToken) is T shared)
                {
                    // What the read under way touched is not known here: an enclosing read depends on everything.
                    DataReads.Add(ulong.MaxValue);
                    return shared;
                }
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // That read failed or its request went away: this request reads for itself below.
            }
        }
        var before = _versions.Take();
        var mine = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = new Reading(before, mine.Task);
        var leads = _reading.TryAdd(entryKey, reading);
        try
        {
            T? result;
            ulong mask;
            using (var scope = DataReads.Begin())
            {
                result = await read(cancellationToken);
                mask = scope.Mask;
            }
            // Kept only if nothing it read moved while it ran (a change committed meanwhile may or may not be in it).
            if (result is not null && _versions.Unchanged(before, mask))
            {
                _entries.Set(entryKey, new Entry(result, before, mask), new MemoryCacheEntryOptions
                {
                    Size = 1,
                    AbsoluteExpirationRelativeToNow = _lifetime,
                });
            }
            mine.TrySetResult(result);
            return result;
        }
        catch (Exception e)
        {
            mine.TrySetException(e);
            throw;
        }
        finally
        {
            if (leads)
            {
                _reading.TryRemove(KeyValuePair.Create(entryKey, reading));
            }
            // Nobody waits on a read that did not lead; observing its outcome keeps a failure from being reported as unobserved.
            _ = mine.Task.Exception;
        }
    }

    public void Dispose() => _entries?.Dispose();

    private sealed record EntryKey(object Key, long Minute);

    private sealed record Entry(object Value, DataVersions.Snapshot Before, ulong Read);

    private sealed record Reading(DataVersions.Snapshot Before, Task<object?> Result);
}

public static class PageDataCacheRegistration
{
    /// <summary>
    /// The page data cache: kept only by Web on PostgreSQL (with <c>Caching:PageData</c> on), with the change listener and
    /// the module contexts' change interceptor; everywhere else <see cref="PageDataCache"/> runs every read.
    /// </summary>
    public static IServiceCollection AddPageDataCache(this IServiceCollection services, IConfiguration configuration, HostRole role, DatabaseProvider provider)
    {
        var section = configuration.GetSection(PageDataCacheOptions.Section);
        services.AddOptions<PageDataCacheOptions>().Bind(section);
        var enabled = role == HostRole.Web && provider == DatabaseProvider.PostgreSql && (section.Get<PageDataCacheOptions>() ?? new()).PageData;
        services.AddSingleton<DataVersions>();
        services.AddSingleton(new DataChangeListenerState(enabled));
        services.AddSingleton<PageDataCache>();
        if (enabled)
        {
            services.AddSingleton<IModuleDbContextConfiguration, DataChangeContexts>();
            services.AddHostedService<DataChangeListener>();
        }
        return services;
    }
}
