namespace ChaosModular.Modules.Infrastructure.Caching;

/// <summary>
/// A counter per module schema that moves whenever that schema's data may have changed, and whether this process hears
/// about every such change at all. <see cref="PageDataCache"/> keeps an entry only while the counters of the schemas it
/// read are where they were before it read them.
/// <para>Who moves them: PostgreSQL, through <see cref="DataChangeListener"/> (a statement trigger on every module table
/// notifies after the writing transaction commits, whichever process or tool wrote); this process, through
/// <see cref="DataChangeInterceptor"/>, as soon as one of its own module contexts writes or commits (so a page shown
/// right after this process's own change never waits for the notification); the catalog snapshot when it is replaced.</para>
/// </summary>
public sealed class DataVersions
{
    private readonly Dictionary<string, int> _index;
    private readonly long[] _versions;
    private long _epoch;
    private volatile bool _listening;

    public DataVersions(IReadOnlyList<IModule> modules)
    {
        Schemas = modules.Select(m => m.Name).Distinct(StringComparer.Ordinal).ToList();
        if (Schemas.Count > 64)
        {
            throw new InvalidOperationException("DataVersions tracks at most 64 module schemas (a bit each in a read's mask).");
        }
        _index = Schemas.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i, StringComparer.Ordinal);
        _versions = new long[Schemas.Count];
    }

    /// <summary>The module schemas, in the order of the module list.</summary>
    public IReadOnlyList<string> Schemas { get; }

    /// <summary>
    /// True while this process hears every change (the listener is connected and listening). While false nothing is
    /// kept: a change made meanwhile would not invalidate anything.
    /// </summary>
    public bool Listening => _listening;

    public int IndexOf(string schema) => _index.TryGetValue(schema, out var i) ? i : -1;

    /// <summary>A change to <paramref name="schema"/>'s data; an unknown schema moves everything.</summary>
    public void Changed(string schema)
    {
        var i = IndexOf(schema);
        if (i < 0)
        {
            ChangedAll();
            return;
        }
        Interlocked.Increment(ref _versions[i]);
    }

    public void Changed(int index) => Interlocked.Increment(ref _versions[index]);

    /// <summary>Anything may have changed (the listener connected, reconnected or lost its connection).</summary>
    public void ChangedAll() => Interlocked.Increment(ref _epoch);

    internal void SetListening(bool listening)
    {
        // Either way every entry made before is dropped: changes may have been missed while not listening.
        ChangedAll();
        _listening = listening;
        ChangedAll();
    }

    /// <summary>The counters now, taken before a read so the read's entry can be checked against them later.</summary>
    public Snapshot Take()
    {
        var copy = new long[_versions.Length];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = Volatile.Read(ref _versions[i]);
        }
        return new Snapshot(Interlocked.Read(ref _epoch), copy);
    }

    /// <summary>Whether nothing the schemas in <paramref name="mask"/> hold has changed since <paramref name="snapshot"/>.</summary>
    public bool Unchanged(Snapshot snapshot, ulong mask)
    {
        if (!_listening || Interlocked.Read(ref _epoch) != snapshot.Epoch)
        {
            return false;
        }
        // Bits past the last schema (a read of an unknown schema, or "every schema") have no counter: an unknown schema's
        // change moves the epoch instead.
        for (var i = 0; mask != 0 && i < _versions.Length; i++, mask >>= 1)
        {
            if ((mask & 1) != 0 && Volatile.Read(ref _versions[i]) != snapshot.Versions[i])
            {
                return false;
            }
        }
        return true;
    }

    public sealed record Snapshot(long Epoch, long[] Versions);
}

/// <summary>
/// The module schemas a piece of code read from, recorded by <see cref="DataChangeInterceptor"/> for every query a module
/// context runs in the current async flow while a <see cref="Scope"/> is open (and by in-memory snapshots such as the
/// catalog's).
/// </summary>
public static class DataReads
{
    private static readonly AsyncLocal<Scope?> Current = new();

    /// <summary>Records a read of <paramref name="schema"/> in the open scope, if any.</summary>
    public static void Record(DataVersions versions, string schema)
    {
        if (Current.Value is { } scope)
        {
            var i = versions.IndexOf(schema);
            scope.Add(i < 0 ? ulong.MaxValue : 1UL << i);
        }
    }

    internal static void Record(int index) => Add(1UL << index);

    /// <summary>Adds the schemas in <paramref name="mask"/> to the open scope, if any.</summary>
    internal static void Add(ulong mask)
    {
        if (Current.Value is { } scope)
        {
            scope.Add(mask);
        }
    }

    internal static Scope Begin()
    {
        var scope = new Scope(Current.Value);
        Current.Value = scope;
        return scope;
    }

    internal sealed class Scope(Scope? outer) : IDisposable
    {
        private ulong _mask;

        public ulong Mask => Interlocked.Read(ref _mask);

        public void Add(ulong bits)
        {
            Interlocked.Or(ref _mask, bits);
            outer?.Add(bits);
        }

        public void Dispose() => Current.Value = outer;
    }
}
