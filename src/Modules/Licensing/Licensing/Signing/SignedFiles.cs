using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChaosModular.Licensing.Signing;

/// <summary>
/// The signed envelope of docs/licensing-files-and-api.md: the payload's UTF-8 JSON bytes, base64url, signed with
/// ECDSA P-256 / SHA-256 (IEEE P1363 r‖s) by the key named in <c>keyId</c>. Signing the bytes as sent, not a
/// re-serialisation, leaves nothing to canonicalise: a server verifies exactly what it reads.
/// </summary>
internal static class SignedFiles
{
    public const string ActivationResponseFormat = "chaos.license-server.activation-response";
    public const string BorrowFormat = "chaos.license-borrow";
    public const string Algorithm = "ES256";
    public const int Version = 1;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly JsonSerializerOptions Indented = new(Json) { WriteIndented = true };

    public sealed record Envelope(string Format, int Version, string KeyId, string Algorithm, string Payload, string Signature);

    public static string Sign<TPayload>(string format, TPayload payload, SigningKey key)
    {
        if (!key.CanSign)
        {
            throw new InvalidOperationException($"Key {key.Id} is retired: it verifies, it does not sign.");
        }
        var bytes = JsonSerializer.SerializeToUtf8Bytes(payload, Json);
        var signature = key.Key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return JsonSerializer.Serialize(new Envelope(format, Version, key.Id, Algorithm, Base64Url.EncodeToString(bytes), Base64Url.EncodeToString(signature)), Indented);
    }

    /// <summary>The payload when the file is a genuine <paramref name="format"/> file signed by one of <paramref name="ring"/>'s keys; else why not.</summary>
    public static (TPayload? Payload, string? Problem) Verify<TPayload>(string file, string format, Func<string, SigningKey?> findKey)
        where TPayload : class
    {
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>(file, Json);
        }
        catch (JsonException)
        {
            return (null, "It is not a signed license file (not JSON).");
        }
        if (envelope is null || envelope.Format != format || envelope.Version != Version)
        {
            return (null, $"It is not a {format} file, version {Version}.");
        }
        if (envelope.Algorithm != Algorithm)
        {
            return (null, $"It is signed with {envelope.Algorithm}, not {Algorithm}.");
        }
        if (findKey(envelope.KeyId) is not { } key)
        {
            return (null, $"It is signed by an unknown key ({envelope.KeyId}).");
        }
        byte[] bytes, signature;
        try
        {
            (bytes, signature) = (Base64Url.DecodeFromChars(envelope.Payload), Base64Url.DecodeFromChars(envelope.Signature));
        }
        catch (FormatException)
        {
            return (null, "Its payload or signature is not base64url.");
        }
        if (!key.Key.VerifyData(bytes, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return (null, "Its signature does not match its content: the file was changed or not made by the portal.");
        }
        try
        {
            return (JsonSerializer.Deserialize<TPayload>(bytes, Json), null);
        }
        catch (JsonException)
        {
            return (null, "Its payload is not the expected JSON.");
        }
    }

    /// <summary>The published key set (JWKS) with every key, active and retired.</summary>
    public static object KeySet(IEnumerable<SigningKey> keys, string activeKeyId) => new
    {
        keys = keys.Select(k =>
        {
            var p = k.Key.ExportParameters(includePrivateParameters: false);
            return new
            {
                kty = "EC",
                crv = "P-256",
                alg = Algorithm,
                use = "sig",
                kid = k.Id,
                x = Base64Url.EncodeToString(p.Q.X!),
                y = Base64Url.EncodeToString(p.Q.Y!),
                status = k.Id == activeKeyId ? "active" : "retired",
            };
        }).ToList(),
    };
}

/// <summary>The payload of an activation response file (docs/licensing-files-and-api.md).</summary>
internal sealed record ActivationResponsePayload(string Account, Guid ActivationId, string ServerId, string ServerName, string HostFingerprint, string Nonce,
    DateTime IssuedAt, DateTime ValidUntil, IReadOnlyList<ActivatedLicense> Licenses);

internal sealed record ActivatedLicense(Guid LicenseId, string Product, string ProductName, string? Type, int Seats, DateOnly ExpiresOn);

/// <summary>The payload of a borrow file.</summary>
internal sealed record BorrowPayload(string Account, Guid BorrowId, Guid LicenseId, string Product, string ProductName, int Seats, string Machine,
    DateTime BorrowedAt, DateTime ReturnBy);
