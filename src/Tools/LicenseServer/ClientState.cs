using System.Text.Json;

namespace ChaosModular.Tools.LicenseServer;

/// <summary>
/// What the client remembers between runs, in a JSON file (default <c>./chaos-license-server.json</c>): the server's
/// identity, the nonce of its last activation request, and, once activated online, the portal, server key, secret
/// and active leases. The file holds the secret: on Unix it is created readable and writable by the user only.
/// </summary>
public sealed class ClientState
{
    public const string DefaultPath = "chaos-license-server.json";

    public string? ServerId { get; set; }

    public string? ServerName { get; set; }

    public string? Fingerprint { get; set; }

    /// <summary>The nonce of the last activation request written; an activation response must carry it.</summary>
    public string? RequestNonce { get; set; }

    public string? PortalUrl { get; set; }

    public string? ServerKey { get; set; }

    public string? Secret { get; set; }

    public int? LeaseTtlSeconds { get; set; }

    public int? HeartbeatSeconds { get; set; }

    public List<string> LeaseIds { get; set; } = [];

    /// <summary>The state in <paramref name="path"/>, or an empty state when there is no such file. Throws <see cref="JsonException"/> for a damaged file.</summary>
    public static ClientState Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return new ClientState();
        }
        var state = JsonSerializer.Deserialize<ClientState>(File.ReadAllBytes(path), Options) ?? new ClientState();
        state.LeaseIds ??= [];
        return state;
    }

    /// <summary>Writes the state atomically (a new file moved over the old one), user-only on Unix.</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, this, Options);
        }
        if (!OperatingSystem.IsWindows())
        {
            // A .tmp left over from an interrupted run keeps its old mode: Create does not change it.
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temporary, full, overwrite: true);
    }

    private static readonly JsonSerializerOptions Options = new(Json.Options) { RespectNullableAnnotations = false };
}
