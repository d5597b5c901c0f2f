using System.ComponentModel;
using Hangfire;

namespace ChaosModular.Organizations.Jobs;

/// <summary>Sends a bulk invite's invitations (<see cref="RunBulkInvite"/>), and every five minutes restarts the ones whose job was lost.</summary>
internal sealed class BulkInviteJob(RunBulkInvite run)
{
    public const string SweepJobId = "organizations-bulk-invites-sweep";

    [DisplayName("Send the invitations of bulk invite {0}")]
    [AutomaticRetry(Attempts = 10, DelaysInSeconds = [10, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 43200])]
    public Task RunAsync(Guid bulkInviteId, CancellationToken cancellationToken) => run.HandleAsync(bulkInviteId, cancellationToken);

    [DisplayName("Resume bulk invites whose job was lost")]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task SweepAsync(CancellationToken cancellationToken) => run.SweepAsync(cancellationToken);
}
