using System.ComponentModel;
using ChaosModular.Modules.Infrastructure.Hosting;
using Hangfire;

namespace ChaosModular.Subscriptions.Jobs;

/// <summary>
/// Renewals, expiries and reminders, several times a day; each run picks up what the last one left. One run at a
/// time places the due renewal orders, then the run enqueues drain jobs (<see cref="DrainFanOut"/>) and drains
/// with them: together they invoice, charge and complete every order due, in claimed batches.
/// </summary>
internal sealed class RenewalJob(RenewSubscriptions renew, SendRenewalReminders reminders, DrainFanOut fanOut)
{
    public const string JobId = "subscriptions-renewals";

    [DisplayName("Renew, expire and remind subscriptions")]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await renew.PrepareAsync(cancellationToken);
        fanOut.Enqueue<RenewalJob>(j => j.DrainAsync(CancellationToken.None));
        await renew.DrainAsync(cancellationToken);
        await reminders.RunAsync(cancellationToken);
    }

    /// <summary>Progresses claimed batches of renewal orders until none is left; as many at once as there are workers.</summary>
    [DisplayName("Renew subscriptions (a drain of the renewal run)")]
    public Task DrainAsync(CancellationToken cancellationToken) => renew.DrainAsync(cancellationToken);
}
