using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// <c>POST /api/license-servers/v1/activate</c>: a license server trades a one-time activation code for its API secret.
/// <para>
/// The code is claimed by a conditional update (unused and unexpired → used), so it activates one server however many
/// calls race with it. A host fingerprint belongs to the account that first activated it: another account's code is
/// refused for it, and the same account's activates the server again (a fresh secret; the leases it held end as
/// <see cref="SeatsEnded.Replaced"/>). Everything happens in one transaction: a refusal or failure changes nothing.
/// </para>
/// </summary>
internal sealed partial class ActivateServerOnline(LicensingDbContext db, SeatLedger ledger, TimeProvider clock, IOptions<LicensingOptions> options)
{
    /// <summary>All four are required; a JSON body that leaves one out still reads (as null) and is refused by <see cref="Validate"/>.</summary>
    public sealed record ActivateRequest(string ActivationCode, string ServerId, string ServerName, string HostFingerprint);

    /// <param name="ServerKey">The portal's id of the server.</param>
    /// <param name="Secret">Shown this once: <c>Authorization: Bearer &lt;secret&gt;</c> on every other call.</param>
    public sealed record ActivateResponse(Guid ServerKey, string Secret, int LeaseTtlSeconds, int HeartbeatSeconds);

    private const string Refused = "The activation code is unknown, already used or expired: create a new one under Licensing › License Servers.";

    public static Dictionary<string, string[]> Validate(ActivateRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (ActivationCodeText.Normalize(request.ActivationCode) is null)
        {
            errors["activationCode"] = ["activationCode must be a code like XXXX-XXXX-XXXX-XXXX."];
        }
        if (request.ServerId is null || !ServerIdPattern().IsMatch(request.ServerId))
        {
            errors["serverId"] = ["serverId must be 1–64 of A–Z a–z 0–9 . _ -."];
        }
        if (string.IsNullOrWhiteSpace(request.ServerName) || request.ServerName.Length > 100)
        {
            errors["serverName"] = ["serverName must be 1–100 characters."];
        }
        if (request.HostFingerprint is null || !FingerprintPattern().IsMatch(request.HostFingerprint))
        {
            errors["hostFingerprint"] = ["hostFingerprint must be sha256: and 64 lower-case hex digits."];
        }
        return errors;
    }

    public async Task<ServerCallOutcome<ActivateResponse>> HandleAsync(ActivateRequest request, CancellationToken cancellationToken)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return ServerCallOutcome<ActivateResponse>.Invalid(errors);
        }
        var codeHash = ActivationCodeText.Hash(ActivationCodeText.Normalize(request.ActivationCode)!);
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                return await ledger.InTransactionAsync(ct => ActivateAsync(request, codeHash, ct), cancellationToken);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another call activated the same new host at the same moment (the fingerprint's unique index):
                // everything here was rolled back, the code included; the next attempt finds that server.
            }
        }
    }

    private async Task<ServerCallOutcome<ActivateResponse>> ActivateAsync(ActivateRequest request, string codeHash, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var code = await db.ActivationCodes.AsNoTracking().Where(c => c.CodeHash == codeHash && c.UsedUtc == null && c.ExpiresUtc > now)
            .Select(c => new { c.Id, c.CustomerId }).SingleOrDefaultAsync(cancellationToken);
        if (code is null)
        {
            return ServerCallOutcome<ActivateResponse>.Refuse(Refusal.Forbidden, Refused);
        }
        var server = await db.Servers.SingleOrDefaultAsync(s => s.Fingerprint == request.HostFingerprint, cancellationToken);
        if (server is not null && server.CustomerId != code.CustomerId)
        {
            return ServerCallOutcome<ActivateResponse>.Refuse(Refusal.Forbidden,
                "This host is activated for another account; it cannot be activated for this one.");
        }
        server ??= db.Servers.Add(LicenseServer.Activate(code.CustomerId, request.ServerId, request.ServerName.Trim(), request.HostFingerprint, ActivationMode.Online, now)).Entity;

        var claimed = await db.ActivationCodes.Where(c => c.Id == code.Id && c.UsedUtc == null && c.ExpiresUtc > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedUtc, now).SetProperty(c => c.ServerId, server.Id), cancellationToken);
        if (claimed == 0)
        {
            return ServerCallOutcome<ActivateResponse>.Refuse(Refusal.Forbidden, Refused);   // a racing call used it first
        }

        if (db.Entry(server).State != EntityState.Added)
        {
            var held = await db.Leases.AsNoTracking().Where(l => l.ServerId == server.Id && l.EndedUtc == null).Select(l => l.Id).ToListAsync(cancellationToken);
            foreach (var leaseId in held)
            {
                await ledger.EndLeaseAsync(leaseId, SeatsEnded.Replaced, cancellationToken);
            }
            server.Reactivate(request.ServerId, request.ServerName.Trim(), ActivationMode.Online, now);
        }
        var (secret, hash) = ServerSecret.Issue(server.Id);
        server.UseSecret(hash);
        await db.SaveChangesAsync(cancellationToken);
        var api = options.Value.Api;
        return ServerCallOutcome<ActivateResponse>.Done(new ActivateResponse(server.Id, secret, api.LeaseTtlSeconds, api.HeartbeatSeconds));
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex ServerIdPattern();

    [GeneratedRegex(@"^sha256:[0-9a-f]{64}\z")]
    private static partial Regex FingerprintPattern();
}
