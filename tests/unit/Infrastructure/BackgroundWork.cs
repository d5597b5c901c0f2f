using ChaosModular.Modules.Infrastructure.Outbox;
using Hangfire;

namespace ChaosModular.UnitTests.Infrastructure;

/// <summary>
/// Waits until a host has no background work left that could still act on what a test just did, so a test that
/// asserts something did NOT happen (no email, no row) asserts it after the work ran instead of after a guessed delay.
/// </summary>
public static class BackgroundWork
{
    /// <summary>
    /// Settled: no Hangfire job enqueued or processing, seen on two looks a poll apart (a worker takes a job off its
    /// queue a moment before marking it processing), and no dispatched outbox row with a handler still to run. Retries
    /// scheduled for later and rows never dispatched (a lost enqueue, left to the sweep) do not count as running.
    /// </summary>
    public static async Task SettledAsync(IServiceProvider services, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var quietLooks = 0;
        while (quietLooks < 2)
        {
            quietLooks = await IdleAsync(services) ? quietLooks + 1 : 0;
            if (quietLooks < 2)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("The host's background jobs and outbox did not settle in time.");
                }
                await Task.Delay(200);
            }
        }
    }

    private static async Task<bool> IdleAsync(IServiceProvider services)
    {
        var monitoring = services.GetRequiredService<JobStorage>().GetMonitoringApi();
        if (monitoring.ProcessingCount() > 0 || monitoring.Queues().Any(q => q.Length > 0))
        {
            return false;
        }
        await using var scope = services.CreateAsyncScope();
        foreach (var module in scope.ServiceProvider.GetServices<OutboxModule>())
        {
            var store = scope.ServiceProvider.GetRequiredKeyedService<IOutboxStore>(module.Name);
            if ((await store.UnfinishedAsync(DateTime.UtcNow.AddDays(1), 1, CancellationToken.None)).Count > 0)
            {
                return false;
            }
        }
        return true;
    }
}
