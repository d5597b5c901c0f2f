using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace ChaosModular.Tools.LicenseServer;

/// <summary>One EC P-256 public key of the published key set.</summary>
public sealed class PublishedKey
{
    private readonly ECParameters _parameters;

    internal PublishedKey(string keyId, string? status, ECParameters parameters)
    {
        KeyId = keyId;
        Status = status;
        _parameters = parameters;
    }

    /// <summary>The JWK's <c>kid</c>.</summary>
    public string KeyId { get; }

    /// <summary><c>active</c> for the signing key, <c>retired</c> for older keys that still verify; informative only.</summary>
    public string? Status { get; }

    /// <summary>ECDSA P-256 with SHA-256 over <paramref name="data"/>, the signature in IEEE P1363 form (r‖s, 64 bytes).</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var ecdsa = ECDsa.Create(_parameters);
        return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}

/// <summary>
/// The published key set (<c>/.well-known/chaos-license-keys.json</c>), a JSON Web Key Set. Only keys with
/// <c>kty</c> EC and <c>crv</c> P-256 (and <c>alg</c> ES256 where given) are taken; others are ignored.
/// </summary>
public sealed class KeySet
{
    public const string WellKnownPath = "/.well-known/chaos-license-keys.json";

    private KeySet(IReadOnlyList<PublishedKey> keys) => Keys = keys;

    public IReadOnlyList<PublishedKey> Keys { get; }

    /// <summary>The key with this <c>kid</c>, or null.</summary>
    public PublishedKey? Find(string keyId) => Keys.FirstOrDefault(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal));

    /// <summary>Reads a key set. Throws <see cref="FormatException"/> when it is not a JWKS or a P-256 key in it is malformed.</summary>
    public static KeySet Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The key set is not JSON: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys)
                || keys.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("The key set is not a JSON Web Key Set: it has no \"keys\" array.");
            }
            var parsed = new List<PublishedKey>();
            foreach (var key in keys.EnumerateArray())
            {
                if (key.ValueKind != JsonValueKind.Object
                    || Text(key, "kty") != "EC" || Text(key, "crv") != "P-256"
                    || (key.TryGetProperty("alg", out _) && Text(key, "alg") != "ES256"))
                {
                    continue;
                }
                var kid = Text(key, "kid");
                if (string.IsNullOrEmpty(kid))
                {
                    throw new FormatException("A P-256 key of the key set has no kid.");
                }
                if (parsed.Any(k => k.KeyId == kid))
                {
                    throw new FormatException($"Key id {kid} appears twice in the key set.");
                }
                var parameters = new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = Coordinate(key, "x", kid), Y = Coordinate(key, "y", kid) },
                };
                try
                {
                    parameters.Validate();
                    using var check = ECDsa.Create(parameters);
                }
                catch (CryptographicException e)
                {
                    throw new FormatException($"Key {kid} is not a P-256 public key: {e.Message}", e);
                }
                parsed.Add(new PublishedKey(kid, Text(key, "status"), parameters));
            }
            return new KeySet(parsed);
        }
    }

    /// <summary>Reads the key set from an http(s) address or a file path.</summary>
    public static async Task<KeySet> LoadAsync(string urlOrPath, HttpClient http, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(urlOrPath);
        ArgumentNullException.ThrowIfNull(http);
        var json = Uri.TryCreate(urlOrPath, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? await http.GetStringAsync(uri, cancellationToken).ConfigureAwait(false)
            : await File.ReadAllTextAsync(urlOrPath, cancellationToken).ConfigureAwait(false);
        return Parse(json);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] Coordinate(JsonElement key, string name, string kid)
    {
        var text = Text(key, name) ?? throw new FormatException($"Key {kid} has no {name}.");
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"Key {kid}: {name} is not base64url.", e);
        }
        return bytes.Length == 32 ? bytes : throw new FormatException($"Key {kid}: {name} is {bytes.Length} bytes, not 32.");
    }
}
