using System.Buffers.Text;
using System.Text.Json;
using ChaosModular.Licensing.Signing;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// One activation by request file: the server, the licenses and seats its response grants, until when, and whether
/// it still holds them (a newer activation or a deactivation ends them). The customer's own only.
/// </summary>
internal sealed class ShowFileActivation(LicensingDbContext db)
{
    public sealed record Result(Guid ActivationId, Guid ServerId, string ServerName, string ServerKey, string Fingerprint, DateTime IssuedUtc, DateTime ValidUntilUtc,
        IReadOnlyList<ActivatedLicense> Licenses, bool ServerActive, bool Replaced)
    {
        public int TotalSeats => Licenses.Sum(l => l.Seats);

        /// <summary>The server holds what this response grants: it is the server's latest and the server is active.</summary>
        public bool Current => ServerActive && !Replaced;
    }

    /// <summary>Null when the customer has no such activation.</summary>
    public async Task<Result?> HandleAsync(string customerId, Guid activationId, CancellationToken cancellationToken)
    {
        var found = await db.FileActivations.AsNoTracking().Where(a => a.Id == activationId && a.CustomerId == customerId)
            .Join(db.Servers, a => a.ServerId, s => s.Id, (a, s) => new { Activation = a, Server = s })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }
        var (activation, server) = (found.Activation, found.Server);
        var replaced = await db.FileActivations.AnyAsync(a => a.ServerId == server.Id && a.IssuedUtc > activation.IssuedUtc, cancellationToken);
        return new Result(activation.Id, server.Id, server.Name, server.ServerKey, server.Fingerprint, activation.IssuedUtc, activation.ValidUntilUtc,
            Granted(activation.Response), server.IsActive, replaced);
    }

    /// <summary>What the response grants, read from the response itself: the file the server has is the record.</summary>
    private static IReadOnlyList<ActivatedLicense> Granted(string response)
    {
        var envelope = JsonSerializer.Deserialize<SignedFiles.Envelope>(response, SignedFiles.Json)
            ?? throw new InvalidOperationException("A stored activation response is empty.");
        var payload = JsonSerializer.Deserialize<ActivationResponsePayload>(Base64Url.DecodeFromChars(envelope.Payload), SignedFiles.Json)
            ?? throw new InvalidOperationException("A stored activation response has no payload.");
        return payload.Licenses;
    }
}
