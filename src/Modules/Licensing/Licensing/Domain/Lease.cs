namespace ChaosModular.Licensing.Domain;

/// <summary>Why seats held by a server or borrowed stopped being held.</summary>
internal enum SeatsEnded
{
    /// <summary>The server released the lease, or the customer returned the borrow.</summary>
    Released,

    /// <summary>The server sent no heartbeat within the lease's time to live.</summary>
    TimedOut,

    /// <summary>The customer deactivated the server.</summary>
    ServerDeactivated,

    /// <summary>The subscription lost seats, so the license had more seats taken than it has.</summary>
    SeatsReduced,

    /// <summary>The subscription ended.</summary>
    LicenseExpired,

    /// <summary>The server was activated again by a newer request file, which took over its seats.</summary>
    Replaced,

    /// <summary>A response file's validity or a borrow's return date passed.</summary>
    Lapsed,
}

/// <summary>
/// Seats of one license held by one license server: a lease through the online API (renewed by heartbeats until its
/// time to live passes) or the seats a response file grants (until the file's validity ends). Counted as "in use".
/// </summary>
internal sealed class Lease
{
    private Lease() { }

    public Guid Id { get; private set; }
    public Guid LicenseId { get; private set; }
    public Guid ServerId { get; private set; }
    public string CustomerId { get; private set; } = "";
    public int Seats { get; private set; }
    public ActivationMode Mode { get; private set; }
    public DateTime CreatedUtc { get; private set; }

    /// <summary>Online: when it lapses without a heartbeat. By file: the response file's valid-until.</summary>
    public DateTime ExpiresUtc { get; private set; }
    public DateTime? EndedUtc { get; private set; }
    public SeatsEnded? EndReason { get; private set; }

    /// <summary>
    /// The license lost seats but these are in a file a server verifies offline, so they cannot be taken back
    /// before <see cref="ExpiresUtc"/>: they end then and are not renewed. The pages say so.
    /// </summary>
    public bool EndsAtExpiry { get; private set; }

    /// <summary>Online leases that ended without the server asking are reported once at its next heartbeat.</summary>
    public bool ServerTold { get; private set; }

    public bool IsActive => EndedUtc is null;

    public static Lease Take(Guid licenseId, Guid serverId, string customerId, int seats, ActivationMode mode, DateTime utcNow, DateTime expiresUtc) => new()
    {
        Id = Guid.NewGuid(),
        LicenseId = licenseId,
        ServerId = serverId,
        CustomerId = customerId,
        Seats = seats,
        Mode = mode,
        CreatedUtc = utcNow,
        ExpiresUtc = expiresUtc,
        ServerTold = true,
    };
}

/// <summary>
/// Seats of a floating license borrowed by one machine for offline use, until the return date or an early return.
/// Counted as "borrowed"; no server can lease them meanwhile.
/// </summary>
internal sealed class Borrow
{
    private Borrow() { }

    public Guid Id { get; private set; }
    public Guid LicenseId { get; private set; }
    public string CustomerId { get; private set; } = "";
    public int Seats { get; private set; }

    /// <summary>The machine's name or host fingerprint, as the customer gave it; the borrow file is bound to it.</summary>
    public string Machine { get; private set; } = "";
    public DateTime BorrowedUtc { get; private set; }

    /// <summary>The end of the return date (23:59:59 UTC): the borrow file stops working then.</summary>
    public DateTime ReturnByUtc { get; private set; }
    public DateTime? EndedUtc { get; private set; }
    public SeatsEnded? EndReason { get; private set; }

    /// <summary>The license lost seats: this borrow cannot be taken back from an offline machine, so it ends at its return date.</summary>
    public bool EndsAtExpiry { get; private set; }

    /// <summary>The signed borrow file, kept so the customer can download it again.</summary>
    public string File { get; private set; } = "";

    public bool IsActive => EndedUtc is null;

    public static Borrow Take(Guid licenseId, string customerId, int seats, string machine, DateTime utcNow, DateTime returnByUtc) => new()
    {
        Id = Guid.NewGuid(),
        LicenseId = licenseId,
        CustomerId = customerId,
        Seats = seats,
        Machine = machine,
        BorrowedUtc = utcNow,
        ReturnByUtc = returnByUtc,
    };

    public void Sign(string file) => File = file;
}

/// <summary>One accepted activation request file and the response issued for it. Its nonce is never accepted again.</summary>
internal sealed class FileActivation
{
    private FileActivation() { }

    public Guid Id { get; private set; }
    public Guid ServerId { get; private set; }
    public string CustomerId { get; private set; } = "";
    public string Nonce { get; private set; } = "";
    public DateTime RequestCreatedUtc { get; private set; }
    public DateTime IssuedUtc { get; private set; }
    public DateTime ValidUntilUtc { get; private set; }
    public string KeyId { get; private set; } = "";

    /// <summary>The signed response file, kept so the customer can download it again.</summary>
    public string Response { get; private set; } = "";

    public static FileActivation For(Guid serverId, string customerId, string nonce, DateTime requestCreatedUtc, DateTime utcNow, DateTime validUntilUtc) => new()
    {
        Id = Guid.NewGuid(),
        ServerId = serverId,
        CustomerId = customerId,
        Nonce = nonce,
        RequestCreatedUtc = requestCreatedUtc,
        IssuedUtc = utcNow,
        ValidUntilUtc = validUntilUtc,
    };

    public void Sign(string keyId, string response) => (KeyId, Response) = (keyId, response);
}

/// <summary>A one-time code a customer makes in the portal to activate a server through the online API.</summary>
internal sealed class ActivationCode
{
    private ActivationCode() { }

    public Guid Id { get; private set; }
    public string CustomerId { get; private set; } = "";

    /// <summary>SHA-256 of the code; the code itself is shown once.</summary>
    public string CodeHash { get; private set; } = "";
    public DateTime CreatedUtc { get; private set; }
    public DateTime ExpiresUtc { get; private set; }
    public DateTime? UsedUtc { get; private set; }
    public Guid? ServerId { get; private set; }

    public static ActivationCode For(string customerId, string codeHash, DateTime utcNow, TimeSpan lifetime) => new()
    {
        Id = Guid.NewGuid(),
        CustomerId = customerId,
        CodeHash = codeHash,
        CreatedUtc = utcNow,
        ExpiresUtc = utcNow + lifetime,
    };
}
