using System.ComponentModel;
using Hangfire;

namespace ChaosModular.Licensing.Jobs;

/// <summary>Every minute: ends timed-out leases and lapsed response files and borrows (<see cref="EndLapsedSeats"/>).</summary>
internal sealed class LapseJob(EndLapsedSeats endLapsedSeats)
{
    public const string JobId = "licensing-lapsed-seats";

    [DisplayName("End timed-out leases and lapsed files and borrows")]
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public Task RunAsync(CancellationToken cancellationToken) => endLapsedSeats.HandleAsync(cancellationToken);
}
