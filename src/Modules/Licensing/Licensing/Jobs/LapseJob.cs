using System.ComponentModel;
using Hangfire;

namespace ChaosModular.Licensing.Jobs;

/// <summary>
/// Every minute: ends timed-out leases and lapsed response files and borrows (<see cref="EndLapsedSeats"/>), and
/// allocations past their expiration date (<see cref="EndLapsedAllocations"/>).
/// </summary>
internal sealed class LapseJob(EndLapsedSeats endLapsedSeats, EndLapsedAllocations endLapsedAllocations)
{
    public const string JobId = "licensing-lapsed-seats";

    [DisplayName("End timed-out leases, lapsed files and borrows, and expired allocations")]
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await endLapsedSeats.HandleAsync(cancellationToken);
        await endLapsedAllocations.HandleAsync(cancellationToken);
    }
}
