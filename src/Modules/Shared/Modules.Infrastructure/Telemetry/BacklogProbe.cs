using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Modules.Infrastructure.Telemetry;

/// <summary>
/// One number of work still waiting (outbox lag, unsent emails), counted in the database. The module that
/// owns the table registers it (<see cref="TelemetryServiceCollectionExtensions.AddBacklogProbe{TProbe}"/>);
/// it becomes an observable gauge on the portal's meter and a line on the Support metrics page.
/// </summary>
public interface IBacklogProbe
{
    /// <summary>The instrument's name, e.g. <c>chaosmodular.email.queue_length</c>.</summary>
    string Instrument { get; }

    /// <summary>What the Support page calls it.</summary>
    string Title { get; }

    /// <summary>UCUM unit: <c>s</c>, <c>{email}</c>.</summary>
    string Unit { get; }

    string Description { get; }

    /// <summary>Runs in its own service scope.</summary>
    Task<double> MeasureAsync(IServiceProvider scope, DateTime utcNow, CancellationToken cancellationToken);
}

/// <summary>
/// A probe's last reading, re-measured at most every <see cref="Fresh"/>: a gauge read by an exporter every
/// few seconds and a page refreshed by hand cost one small query between them, not one each.
/// </summary>
public sealed class CachedBacklog(IBacklogProbe probe, IServiceScopeFactory scopes, TimeProvider clock, ILogger logger) : IDisposable
{
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Reading? _last;

    public IBacklogProbe Probe => probe;

    public async Task<double> ReadAsync(CancellationToken cancellationToken)
    {
        if (Current() is { } fresh)
        {
            return fresh;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Current() is { } measuredMeanwhile)
            {
                return measuredMeanwhile;
            }
            await using var scope = scopes.CreateAsyncScope();
            var value = await probe.MeasureAsync(scope.ServiceProvider, clock.GetUtcNow().UtcDateTime, cancellationToken);
            _last = new Reading(value, clock.GetUtcNow());
            return value;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The observable gauge's callback, on the exporter's collection thread: it never waits for the database.
    /// It reports the last reading and, when that is stale, starts a new one for the next collection.
    /// </summary>
    public IEnumerable<Measurement<double>> Observe()
    {
        var last = _last;
        if (last is null || clock.GetUtcNow() - last.At >= Fresh)
        {
            _ = RefreshAsync();
        }
        return last is null ? [] : [new Measurement<double>(last.Value)];
    }

    private double? Current() => _last is { } last && clock.GetUtcNow() - last.At < Fresh ? last.Value : null;

    private async Task RefreshAsync()
    {
        try
        {
            await ReadAsync(CancellationToken.None);
        }
#pragma warning disable CA1031 // A failed reading must not surface on the exporter's thread; the next collection tries again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Could not measure {Instrument}; the gauge keeps its last reading.", probe.Instrument);
        }
    }

    public void Dispose() => _gate.Dispose();

    private sealed record Reading(double Value, DateTimeOffset At);
}
