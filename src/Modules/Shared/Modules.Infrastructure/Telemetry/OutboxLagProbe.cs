using ChaosModular.Modules.Infrastructure.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosModular.Modules.Infrastructure.Telemetry;

/// <summary>The age of the oldest outbox message not yet dispatched, over every module's outbox (0 when none waits).</summary>
internal sealed class OutboxLagProbe(IEnumerable<OutboxModule> modules) : IBacklogProbe
{
    public string Instrument => "chaosmodular.outbox.lag";

    public string Title => "Outbox lag";

    public string Unit => "s";

    public string Description => "Age of the oldest integration event still waiting to be dispatched.";

    public async Task<double> MeasureAsync(IServiceProvider scope, DateTime utcNow, CancellationToken cancellationToken)
    {
        DateTime? oldest = null;
        foreach (var module in modules)
        {
            var occurred = await scope.GetRequiredKeyedService<IOutboxStore>(module.Name).OldestUndispatchedUtcAsync(cancellationToken);
            if (occurred < oldest || oldest is null)
            {
                oldest = occurred;
            }
        }
        return oldest is { } o && o < utcNow ? (utcNow - o).TotalSeconds : 0;
    }
}
