using System.Diagnostics.Metrics;

namespace ChaosModular.Web.Telemetry;

/// <summary>
/// Web's own view of its requests for the Support metrics page: ASP.NET Core's <c>http.server.request.duration</c>
/// histogram, heard in process by a <see cref="MeterListener"/> (with or without OpenTelemetry) and kept as one
/// fixed set of duration buckets per minute for the last <see cref="WindowMinutes"/> minutes. Memory stays the
/// same whatever the traffic; percentiles are the bucket's upper bound.
/// </summary>
internal sealed class RequestStatistics : IHostedService, IDisposable
{
    public const int WindowMinutes = 5;

    /// <summary>Upper bounds in milliseconds; a last bucket takes anything slower.</summary>
    private static readonly double[] BoundsMs = [1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000];

    private readonly IMeterFactory _meters;
    private readonly TimeProvider _clock;
    private readonly Minute[] _minutes = Enumerable.Range(0, WindowMinutes).Select(_ => new Minute()).ToArray();
    private readonly Lock _lock = new();
    private MeterListener? _listener;

    public RequestStatistics(IMeterFactory meters, TimeProvider clock)
    {
        _meters = meters;
        _clock = clock;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new MeterListener
        {
            // Only this host's ASP.NET Core meter: another host in the same process (the tests) has its own factory.
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.request.duration"
                    && ReferenceEquals(instrument.Meter.Scope, _meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) => Record(seconds * 1000, IsServerError(tags)));
        _listener.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _listener?.Dispose();
        _listener = null;
        return Task.CompletedTask;
    }

    public void Dispose() => _listener?.Dispose();

    public void Record(double milliseconds, bool serverError)
    {
        var bucket = Array.FindIndex(BoundsMs, b => milliseconds <= b);
        var index = bucket < 0 ? BoundsMs.Length : bucket;
        var minute = CurrentMinute();
        lock (_lock)
        {
            var slot = _minutes[minute % WindowMinutes];
            if (slot.Number != minute)
            {
                slot.Reset(minute);
            }
            slot.Counts[index]++;
            slot.Requests++;
            slot.ServerErrors += serverError ? 1 : 0;
        }
    }

    public RequestSummary Summary()
    {
        var counts = new long[BoundsMs.Length + 1];
        long requests = 0, errors = 0;
        var now = CurrentMinute();
        lock (_lock)
        {
            foreach (var slot in _minutes.Where(m => m.Number > now - WindowMinutes && m.Number <= now))
            {
                requests += slot.Requests;
                errors += slot.ServerErrors;
                for (var i = 0; i < counts.Length; i++)
                {
                    counts[i] += slot.Counts[i];
                }
            }
        }
        return new RequestSummary(WindowMinutes, requests, errors, Percentile(counts, requests, 0.50), Percentile(counts, requests, 0.95));
    }

    /// <summary>The upper bound of the bucket holding the p-th request; null with no requests or past the last bound.</summary>
    private static double? Percentile(long[] counts, long total, double p)
    {
        if (total == 0)
        {
            return null;
        }
        var rank = (long)Math.Ceiling(p * total);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return i < BoundsMs.Length ? BoundsMs[i] : null;
            }
        }
        return null;
    }

    private static bool IsServerError(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "http.response.status_code" && tag.Value is int status)
            {
                return status >= 500;
            }
        }
        return false;
    }

    private long CurrentMinute() => _clock.GetUtcNow().ToUnixTimeSeconds() / 60;

    private sealed class Minute
    {
        public long Number { get; private set; } = long.MinValue;
        public long[] Counts { get; } = new long[BoundsMs.Length + 1];
        public long Requests { get; set; }
        public long ServerErrors { get; set; }

        public void Reset(long number)
        {
            Number = number;
            Array.Clear(Counts);
            Requests = 0;
            ServerErrors = 0;
        }
    }
}

/// <summary>Requests of the last minutes; percentiles in milliseconds as "at most" (null: none, or slower than 10 s).</summary>
internal sealed record RequestSummary(int Minutes, long Requests, long ServerErrors, double? P50Ms, double? P95Ms);
