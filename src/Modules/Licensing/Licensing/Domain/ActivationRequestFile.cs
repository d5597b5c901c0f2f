using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ChaosModular.Licensing.Domain;

/// <summary>Seats of one product a license server asks for.</summary>
internal sealed record RequestedSeats(string Product, int Seats);

/// <summary>An activation request file, version 1 (docs/licensing-files-and-api.md), as read and checked.</summary>
internal sealed record ActivationRequest(string ServerId, string ServerName, string HostFingerprint, DateTime CreatedAt, string Nonce, IReadOnlyList<RequestedSeats> Seats);

/// <summary>
/// Reads an activation request file and says exactly what is wrong with a bad one, so the customer can tell a
/// truncated download from an old file from a file of another kind. Checks what the file alone decides; whether the
/// account may have what it asks (nonce unused, fingerprint not another account's, seats free) is the handler's.
/// </summary>
internal static partial class ActivationRequestFile
{
    public const string Format = "chaos.license-server.activation-request";
    public const int Version = 1;

    /// <summary>A server's clock may run a little ahead of ours.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    public static partial Regex ServerIdPattern();

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    public static partial Regex FingerprintPattern();

    public static (ActivationRequest? Request, string? Problem) Parse(ReadOnlySpan<byte> bytes, DateTime utcNow, int maxAgeDays)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return Fail("This is not an activation request file: it is not JSON. Upload the file your license server wrote (…request.json).");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "format") != Format)
            {
                return Fail($"This is not an activation request file: it does not say \"format\": \"{Format}\".");
            }
            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != Version)
            {
                return Fail($"This activation request file is of a version the portal does not read (it reads version {Version}). Update the portal or write the request with an older server.");
            }
            var serverId = Text(root, "serverId");
            if (serverId is null || !ServerIdPattern().IsMatch(serverId))
            {
                return Fail("The request's serverId is missing or not 1–64 letters, digits, dots, dashes or underscores.");
            }
            var serverName = Text(root, "serverName")?.Trim();
            if (string.IsNullOrEmpty(serverName) || serverName.Length > 100)
            {
                return Fail("The request's serverName is missing or longer than 100 characters.");
            }
            var fingerprint = Text(root, "hostFingerprint");
            if (fingerprint is null || !FingerprintPattern().IsMatch(fingerprint))
            {
                return Fail("The request's hostFingerprint is missing or not sha256: and 64 lower-case hex digits.");
            }
            if (Text(root, "createdAt") is not { } createdText
                || !DateTime.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var createdAt))
            {
                return Fail("The request's createdAt is missing or not a UTC time (2026-11-30T12:00:00Z).");
            }
            if (createdAt > utcNow + ClockSkew)
            {
                return Fail($"The request was made in the future ({createdText}): check the license server's clock and make a new request.");
            }
            if (createdAt < utcNow.AddDays(-maxAgeDays))
            {
                return Fail($"The request has expired: it was made on {createdAt:yyyy-MM-dd} and requests are accepted for {maxAgeDays} days. Make a new request on the license server.");
            }
            var nonce = Text(root, "nonce");
            if (nonce is null || !IsNonce(nonce))
            {
                return Fail("The request's nonce is missing or not 16–64 random bytes in base64url.");
            }
            if (!root.TryGetProperty("seats", out var seatsElement) || seatsElement.ValueKind != JsonValueKind.Array || seatsElement.GetArrayLength() is 0 or > 50)
            {
                return Fail("The request names no seats: it must list 1–50 products with the seats wanted.");
            }
            var seats = new List<RequestedSeats>();
            foreach (var entry in seatsElement.EnumerateArray())
            {
                var product = entry.ValueKind == JsonValueKind.Object ? Text(entry, "product") : null;
                if (string.IsNullOrWhiteSpace(product) || product.Length > 64)
                {
                    return Fail("A seats entry of the request names no product.");
                }
                if (!entry.TryGetProperty("seats", out var count) || count.ValueKind != JsonValueKind.Number || !count.TryGetInt32(out var n) || n is < 1 or > 1000)
                {
                    return Fail($"The request asks for a number of {product} seats that is not 1–1000.");
                }
                if (seats.Any(s => s.Product == product))
                {
                    return Fail($"The request names {product} twice.");
                }
                seats.Add(new RequestedSeats(product, n));
            }
            return (new ActivationRequest(serverId, serverName, fingerprint, createdAt, nonce, seats), null);
        }
    }

    private static bool IsNonce(string nonce)
    {
        if (nonce.Length > 100 || !Base64Url.IsValid(nonce, out var length))
        {
            return false;
        }
        return length is >= 16 and <= 64;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static (ActivationRequest?, string?) Fail(string problem) => (null, problem);
}
