using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ChaosModular.Tools.LicenseServer;

/// <summary>Seats of one product that an activation request asks for.</summary>
public sealed record SeatRequest(string Product, int Seats);

/// <summary>
/// The activation request file (spec version 1) the server writes and the customer uploads to the portal.
/// Make one with <see cref="Create"/>, write it with <see cref="ToJson"/> or <see cref="WriteTo"/>.
/// </summary>
public sealed partial record ActivationRequest(
    string ServerId,
    string ServerName,
    string HostFingerprint,
    DateTimeOffset CreatedAt,
    string Nonce,
    IReadOnlyList<SeatRequest> Seats)
{
    public const string Format = "chaos.license-server.activation-request";
    public const int Version = 1;
    public const int NonceBytes = 16;
    public const int MaxFileBytes = 64 * 1024;

    /// <summary>
    /// A new request: <c>createdAt</c> is now (whole seconds, UTC) by <paramref name="time"/>, the nonce 16 fresh
    /// random bytes. Throws <see cref="ArgumentException"/> naming every rule of the spec the values break
    /// (see <see cref="Problems"/>).
    /// </summary>
    public static ActivationRequest Create(string serverId, string serverName, string hostFingerprint, IReadOnlyList<SeatRequest> seats, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var problems = Problems(serverId, serverName, hostFingerprint, seats);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }
        var now = time.GetUtcNow();
        var createdAt = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(NonceBytes));
        return new ActivationRequest(serverId, serverName, hostFingerprint, createdAt, nonce, [.. seats]);
    }

    /// <summary>What the spec refuses in these values, one sentence each; empty when they are fine.</summary>
    public static IReadOnlyList<string> Problems(string? serverId, string? serverName, string? hostFingerprint, IReadOnlyList<SeatRequest>? seats)
    {
        var problems = IdentityProblems(serverId, serverName, hostFingerprint).ToList();
        if (seats is null || seats.Count is < 1 or > 50)
        {
            problems.Add("A request asks for seats of 1–50 products.");
        }
        else
        {
            if (seats.Any(s => string.IsNullOrWhiteSpace(s.Product)))
            {
                problems.Add("Every seat entry names a product.");
            }
            problems.AddRange(seats.Where(s => s.Seats is < 1 or > 1000).Select(s => $"Seats of {s.Product} must be 1–1000, not {s.Seats}."));
            problems.AddRange(seats.GroupBy(s => s.Product, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"Product {g.Key} is named more than once."));
        }
        return problems;
    }

    /// <summary>What the spec refuses in a server's id, name and fingerprint (shared by the request file and online activation).</summary>
    public static IReadOnlyList<string> IdentityProblems(string? serverId, string? serverName, string? hostFingerprint)
    {
        var problems = new List<string>();
        if (serverId is null || !ServerIdForm().IsMatch(serverId))
        {
            problems.Add("The server id must be 1–64 of A–Z a–z 0–9 . _ -.");
        }
        if (string.IsNullOrWhiteSpace(serverName) || serverName.Length > 100)
        {
            problems.Add("The server name must be 1–100 characters.");
        }
        if (!LicenseServer.HostFingerprint.IsValid(hostFingerprint))
        {
            problems.Add("The host fingerprint must be sha256: and 64 lower-case hex digits.");
        }
        return problems;
    }

    /// <summary>The file's UTF-8 bytes, members in the order of the spec.</summary>
    public byte[] ToUtf8Bytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = Json.Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteNumber("version", Version);
            writer.WriteString("serverId", ServerId);
            writer.WriteString("serverName", ServerName);
            writer.WriteString("hostFingerprint", HostFingerprint);
            writer.WriteString("createdAt", Json.Time(CreatedAt));
            writer.WriteString("nonce", Nonce);
            writer.WriteStartArray("seats");
            foreach (var seat in Seats)
            {
                writer.WriteStartObject();
                writer.WriteString("product", seat.Product);
                writer.WriteNumber("seats", seat.Seats);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public string ToJson() => System.Text.Encoding.UTF8.GetString(ToUtf8Bytes());

    /// <summary>Writes the file (UTF-8, no byte order mark). Throws <see cref="InvalidOperationException"/> past the spec's 64 KB.</summary>
    public void WriteTo(string path)
    {
        var bytes = ToUtf8Bytes();
        if (bytes.Length > MaxFileBytes)
        {
            throw new InvalidOperationException($"The request is {bytes.Length} bytes; the portal takes at most {MaxFileBytes}.");
        }
        File.WriteAllBytes(path, bytes);
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ServerIdForm();
}
