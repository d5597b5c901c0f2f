using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ChaosModular.Licensing.Features;

/// <summary>The license server an API call comes from, once its secret is checked.</summary>
internal sealed record AuthenticatedServer(Guid Id, string CustomerId);

/// <summary>
/// Checks the <c>Authorization: Bearer &lt;secret&gt;</c> of an online API call: the secret names its server, whose stored
/// hash must match (compared in constant time) and which must not be deactivated. A known server is marked as seen.
/// </summary>
internal sealed class AuthenticateServer(LicensingDbContext db, TimeProvider clock)
{
    /// <summary>Null when there is no secret, or it is not one the portal issued to an active server.</summary>
    public async Task<AuthenticatedServer?> HandleAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (ServerSecret.FromAuthorization(authorization) is not { } secret || ServerSecret.ServerIdOf(secret) is not { } id)
        {
            return null;
        }
        var server = await db.Servers.AsNoTracking().Where(s => s.Id == id)
            .Select(s => new { s.CustomerId, s.SecretHash, s.DeactivatedUtc }).SingleOrDefaultAsync(cancellationToken);
        if (server is null || server.DeactivatedUtc is not null || !ServerSecret.Matches(secret, server.SecretHash))
        {
            return null;
        }
        var now = clock.UtcNow();
        await db.Servers.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenUtc, now), cancellationToken);
        return new AuthenticatedServer(id, server.CustomerId);
    }
}

/// <summary>
/// A server's API secret: <c>lss_&lt;server id, 32 hex digits&gt;_&lt;32 random bytes, base64url&gt;</c>. The id lets a call
/// find its server without a lookup by secret; the random part is what proves it. Only the SHA-256 is stored.
/// </summary>
internal static class ServerSecret
{
    private const string Prefix = "lss_";

    /// <summary>A new secret for the server and the hash to store (<see cref="LicenseServer.UseSecret"/>).</summary>
    public static (string Secret, string Hash) Issue(Guid serverId)
    {
        var secret = $"{Prefix}{serverId:N}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        return (secret, Convert.ToHexStringLower(HashOf(secret)));
    }

    /// <summary>The secret of a <c>Bearer</c> authorization header; null for any other.</summary>
    public static string? FromAuthorization(string? authorization)
    {
        const string scheme = "Bearer ";
        return authorization is { Length: > 7 and < 512 } && authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization[scheme.Length..].Trim()
            : null;
    }

    /// <summary>The server a secret names, read without trusting it; null when it is not shaped like a secret.</summary>
    public static Guid? ServerIdOf(string? secret) =>
        secret is { Length: > 37 } && secret.StartsWith(Prefix, StringComparison.Ordinal) && secret[36] == '_'
            && Guid.TryParseExact(secret.AsSpan(4, 32), "N", out var id)
            ? id
            : null;

    public static bool Matches(string secret, string? storedHash)
    {
        if (storedHash is not { Length: 64 })
        {
            return false;
        }
        byte[] stored;
        try
        {
            stored = Convert.FromHexString(storedHash);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(stored, HashOf(secret));
    }

    private static byte[] HashOf(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
