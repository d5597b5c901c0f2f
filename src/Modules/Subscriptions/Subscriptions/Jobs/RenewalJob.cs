using System.ComponentModel;
using Hangfire;

namespace ChaosModular.Subscriptions.Jobs;

/// <summary>Renewals, expiries and reminders, several times a day; each run picks up what the last one left.</summary>
internal sealed class RenewalJob(RenewSubscriptions renew, SendRenewalReminders reminders)
{
    public const string JobId = "subscriptions-renewals";

    [DisplayName("Renew, expire and remind subscriptions")]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await renew.RunAsync(cancellationToken);
        await reminders.RunAsync(cancellationToken);
    }
}
