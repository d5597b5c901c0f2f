using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChaosModular.Licensing.Signing;

/// <summary>A portal key that signs response and borrow files (ECDSA P-256), or only verifies once retired.</summary>
internal sealed class SigningKey(string id, ECDsa key, bool canSign)
{
    public string Id { get; } = id;
    public ECDsa Key { get; } = key;
    public bool CanSign { get; } = canSign;
}

/// <summary>
/// The portal's signing keys. They come from configuration (<c>Licensing:Signing:Keys</c>: PEM text, e.g. from a
/// secret store) and from PEM files in <c>Licensing:Signing:KeyDirectory</c> (<c>&lt;key id&gt;.pem</c> private,
/// <c>&lt;key id&gt;.pub.pem</c> public only). The signing key is <c>ActiveKeyId</c>, else the private key with the
/// greatest id (ids start with their creation date, so a newly added key takes over). Every key stays published, so
/// files signed before a rotation still verify. With none at all, Development (or <c>GenerateIfMissing</c>) makes one
/// on first start; elsewhere signing refuses with a message saying what to configure.
/// </summary>
internal sealed partial class SigningKeyRing(IOptions<LicensingOptions> options, IHostEnvironment environment, TimeProvider clock, ILogger<SigningKeyRing> logger)
{
    private readonly Lock _gate = new();
    private IReadOnlyList<SigningKey>? _keys;

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyIdPattern();

    public IReadOnlyList<SigningKey> Keys
    {
        get
        {
            lock (_gate)
            {
                return _keys ??= Load();
            }
        }
    }

    public SigningKey Active
    {
        get
        {
            var signing = options.Value.Signing;
            var keys = Keys.Where(k => k.CanSign).ToList();
            if (signing.ActiveKeyId is { Length: > 0 } activeId)
            {
                return keys.SingleOrDefault(k => k.Id == activeId)
                    ?? throw new InvalidOperationException($"Licensing:Signing:ActiveKeyId names '{activeId}', but no private key has that id.");
            }
            return keys.OrderBy(k => k.Id, StringComparer.Ordinal).LastOrDefault()
                ?? throw new InvalidOperationException("Licensing has no private signing key: put a PEM key in Licensing:Signing:Keys or a <key id>.pem file in "
                    + $"Licensing:Signing:KeyDirectory ({KeyDirectory()}), or set Licensing:Signing:GenerateIfMissing=true.");
        }
    }

    public SigningKey? Find(string keyId) => Keys.FirstOrDefault(k => k.Id == keyId);

    /// <summary>Makes a new key in the key directory (a rotation, or the first key in Development) and makes it the signing key.</summary>
    public SigningKey Generate()
    {
        lock (_gate)
        {
            var known = _keys ?? Load();
            var key = GenerateUnlocked(KeyDirectory());
            _keys = [.. known, key];
            return key;
        }
    }

    private IReadOnlyList<SigningKey> Load()
    {
        var signing = options.Value.Signing;
        var keys = new List<SigningKey>();
        foreach (var configured in signing.Keys)
        {
            keys.Add(FromPem(configured.Id, configured.PrivateKeyPem ?? configured.PublicKeyPem
                ?? throw new InvalidOperationException($"Licensing:Signing:Keys '{configured.Id}' has neither PrivateKeyPem nor PublicKeyPem."),
                configured.PrivateKeyPem is not null, "configuration"));
        }
        var directory = KeyDirectory();
        if (Directory.Exists(directory))
        {
            foreach (var path in Directory.EnumerateFiles(directory, "*.pem").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(path);
                var isPublic = name.EndsWith(".pub.pem", StringComparison.Ordinal);
                var id = name[..^(isPublic ? ".pub.pem".Length : ".pem".Length)];
                if (keys.Any(k => k.Id == id))
                {
                    continue;
                }
                keys.Add(FromPem(id, File.ReadAllText(path), !isPublic, path));
            }
        }
        if (!keys.Any(k => k.CanSign) && (signing.GenerateIfMissing ?? (environment.IsDevelopment() || environment.IsEnvironment("Testing"))))
        {
            // Only Web signs, so one process makes the key; the others read it at their first use.
            keys.Add(GenerateUnlocked(directory));
        }
        return keys;
    }

    private SigningKey GenerateUnlocked(string directory)
    {
        Directory.CreateDirectory(directory);
        var id = $"lk-{clock.GetUtcNow():yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = Path.Combine(directory, id + ".pem");
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        LogGenerated(logger, id, directory);
        return new SigningKey(id, key, canSign: true);
    }

    private static SigningKey FromPem(string id, string pem, bool canSign, string source)
    {
        if (!KeyIdPattern().IsMatch(id))
        {
            throw new InvalidOperationException($"Licensing signing key id '{id}' ({source}) must be 1–64 of A–Z a–z 0–9 . _ -.");
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidOperationException($"Licensing signing key '{id}' ({source}) is not a PEM EC key: {ex.Message}", ex);
        }
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new InvalidOperationException($"Licensing signing key '{id}' ({source}) must be ECDSA P-256.");
        }
        return new SigningKey(id, key, canSign);
    }

    private string KeyDirectory() => Path.GetFullPath(options.Value.Signing.KeyDirectory, environment.ContentRootPath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generated licensing signing key {KeyId} in {Directory}. Keep this file: files it signs verify only with it.")]
    private static partial void LogGenerated(ILogger logger, string keyId, string directory);
}
