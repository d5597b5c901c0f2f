namespace ChaosModular.Licensing.Domain;

internal enum ActivationMode
{
    /// <summary>Activated with a one-time code through the online API; keeps its seats by heartbeats.</summary>
    Online,

    /// <summary>Activated by uploading its request file; holds its seats until the response file's validity ends.</summary>
    OfflineFile,
}

/// <summary>
/// A customer's license server: the machine, named by its host fingerprint, that hands the account's seats to
/// workstations and render nodes. A fingerprint belongs to the account that first activated it; another account
/// cannot take it over (the unique index on <see cref="Fingerprint"/> holds that).
/// </summary>
internal sealed class LicenseServer
{
    private LicenseServer() { }

    public Guid Id { get; private set; }
    public string CustomerId { get; private set; } = "";

    /// <summary>The server's own id (from its request or activation call).</summary>
    public string ServerKey { get; private set; } = "";
    public string Name { get; private set; } = "";

    /// <summary><c>sha256:</c> and 64 hex digits, lower case.</summary>
    public string Fingerprint { get; private set; } = "";
    public ActivationMode Mode { get; private set; }
    public DateTime ActivatedUtc { get; private set; }
    public DateTime? LastSeenUtc { get; private set; }
    public DateTime? DeactivatedUtc { get; private set; }

    /// <summary>SHA-256 of the API secret (online servers); the secret itself is shown once and never stored.</summary>
    public string? SecretHash { get; private set; }

    public bool IsActive => DeactivatedUtc is null;

    public static LicenseServer Activate(string customerId, string serverKey, string name, string fingerprint, ActivationMode mode, DateTime utcNow) => new()
    {
        Id = Guid.NewGuid(),
        CustomerId = customerId,
        ServerKey = serverKey,
        Name = name,
        Fingerprint = fingerprint,
        Mode = mode,
        ActivatedUtc = utcNow,
        LastSeenUtc = utcNow,
    };

    /// <summary>Activates again (a new request file or activation code for the same host): a fresh start, a new secret.</summary>
    public void Reactivate(string serverKey, string name, ActivationMode mode, DateTime utcNow)
    {
        (ServerKey, Name, Mode, ActivatedUtc, LastSeenUtc, DeactivatedUtc, SecretHash) = (serverKey, name, mode, utcNow, utcNow, null, null);
    }

    public void UseSecret(string secretHash) => SecretHash = secretHash;

    public void Seen(DateTime utcNow) => LastSeenUtc = utcNow;

    /// <summary>False when it was already deactivated.</summary>
    public bool Deactivate(DateTime utcNow)
    {
        if (!IsActive)
        {
            return false;
        }
        DeactivatedUtc = utcNow;
        SecretHash = null;
        return true;
    }

    /// <summary>The form pages show: the first 12 hex digits, the whole on hover and copy.</summary>
    public static string Short(string fingerprint) =>
        fingerprint.StartsWith("sha256:", StringComparison.Ordinal) && fingerprint.Length > 19 ? fingerprint[..19] + "…" : fingerprint;
}
