using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ChaosModular.Tools.LicenseServer;

/// <summary>
/// The signed envelope of the activation response and borrow files: <c>payload</c> is the base64url of the
/// payload's UTF-8 JSON bytes, <c>signature</c> ES256 (P1363, base64url) over exactly those bytes.
/// </summary>
public sealed record SignedFile(string Format, int Version, string KeyId, string Algorithm, string Payload, string Signature)
{
    public const string ActivationResponseFormat = "chaos.license-server.activation-response";
    public const string BorrowFormat = "chaos.license-borrow";
    public const int SupportedVersion = 1;
    public const string SupportedAlgorithm = "ES256";

    private static readonly string[] TextMembers = ["format", "keyId", "algorithm", "payload", "signature"];

    /// <summary>
    /// Reads the envelope's members. Fails (with a reason starting <c>malformed:</c>) when it is not a JSON
    /// object with all six members of the right JSON types; format, version and algorithm are checked by the verifier.
    /// </summary>
    public static bool TryParse(string? json, [NotNullWhen(true)] out SignedFile? file, [NotNullWhen(false)] out string? reason)
    {
        file = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            reason = "malformed: the file is empty.";
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                reason = "malformed: the file is not a JSON object.";
                return false;
            }
            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var missing = TextMembers.Where(n => Text(n) is null).ToList();
            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v))
            {
                missing.Insert(1, "version");
                v = 0;
            }
            if (missing.Count > 0)
            {
                reason = $"malformed: {string.Join(", ", missing)} missing or of the wrong type.";
                return false;
            }
            file = new SignedFile(Text("format")!, v, Text("keyId")!, Text("algorithm")!, Text("payload")!, Text("signature")!);
            reason = null;
            return true;
        }
        catch (JsonException e)
        {
            reason = $"malformed: not JSON ({e.Message}).";
            return false;
        }
    }
}

/// <summary>What a genuine signed file carries: an <see cref="ActivationResponse"/> or a <see cref="BorrowFile"/>.</summary>
public abstract record SignedPayload;

/// <summary>Seats of one license granted by an activation response.</summary>
public sealed record LicenseGrant(string LicenseId, string Product, string ProductName, string? Type, int Seats, DateOnly ExpiresOn);

/// <summary>The payload of an activation response file.</summary>
public sealed record ActivationResponse(
    string Account,
    string ActivationId,
    string ServerId,
    string ServerName,
    string HostFingerprint,
    string Nonce,
    DateTimeOffset IssuedAt,
    DateTimeOffset ValidUntil,
    IReadOnlyList<LicenseGrant> Licenses) : SignedPayload;

/// <summary>The payload of a borrow file.</summary>
public sealed record BorrowFile(
    string Account,
    string BorrowId,
    string LicenseId,
    string Product,
    string ProductName,
    int Seats,
    string Machine,
    DateTimeOffset BorrowedAt,
    DateTimeOffset ReturnBy) : SignedPayload;
