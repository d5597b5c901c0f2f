using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// <c>POST /api/license-servers/v1/heartbeat</c>: the server is alive, so all its online leases last another
/// <c>Licensing:Api:LeaseTtlSeconds</c>. Leases already past their time end here as timed out (as the lapse job would end
/// them: a late heartbeat does not bring them back), and the server hears, once, which of its leases ended without it
/// asking and why.
/// </summary>
internal sealed class ServerHeartbeat(LicensingDbContext db, SeatLedger ledger, TimeProvider clock, IOptions<LicensingOptions> options, ILogger<ServerHeartbeat> logger)
{
    public sealed record EndedLease(Guid LeaseId, Guid LicenseId, string Reason);

    public sealed record HeartbeatResponse(DateTime ServerTime, int LeaseTtlSeconds, IReadOnlyList<ServerLease> Leases, IReadOnlyList<EndedLease> Ended);

    public async Task<HeartbeatResponse> HandleAsync(AuthenticatedServer server, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var ttl = options.Value.Api.LeaseTtlSeconds;
        var mine = db.Leases.Where(l => l.ServerId == server.Id && l.EndedUtc == null && l.Mode == ActivationMode.Online);

        foreach (var leaseId in await mine.Where(l => l.ExpiresUtc <= now).Select(l => l.Id).ToListAsync(cancellationToken))
        {
            if (await ledger.EndLeaseAsync(leaseId, SeatsEnded.TimedOut, cancellationToken))
            {
                logger.LogInformation("Lease {LeaseId} of license server {ServerId} timed out before its heartbeat", leaseId, server.Id);
            }
        }
        var expires = now.AddSeconds(ttl);
        await mine.ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresUtc, expires), cancellationToken);

        var leases = await db.Leases.AsNoTracking().Where(l => l.ServerId == server.Id && l.EndedUtc == null)
            .OrderBy(l => l.CreatedUtc).ThenBy(l => l.Id).ToListAsync(cancellationToken);
        var untold = await db.Leases.AsNoTracking().Where(l => l.ServerId == server.Id && l.EndedUtc != null && !l.ServerTold)
            .OrderBy(l => l.EndedUtc).ThenBy(l => l.Id).Select(l => new { l.Id, l.LicenseId, l.EndReason }).ToListAsync(cancellationToken);
        var ended = new List<EndedLease>();
        foreach (var lease in untold)
        {
            // A claim per lease: two heartbeats at once tell each ending once between them.
            if (await db.Leases.Where(l => l.Id == lease.Id && !l.ServerTold).ExecuteUpdateAsync(s => s.SetProperty(l => l.ServerTold, true), cancellationToken) == 1)
            {
                ended.Add(new EndedLease(lease.Id, lease.LicenseId, (lease.EndReason ?? SeatsEnded.Released).ToString()));
            }
        }
        return new HeartbeatResponse(ServerLease.ApiTime(now), ttl, leases.Select(ServerLease.Of).ToList(), ended);
    }
}
