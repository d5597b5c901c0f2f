using System.Buffers.Text;
using System.Text.Json;

namespace ChaosModular.Tools.LicenseServer;

/// <summary>Why a signed file was refused; <see cref="None"/> when it was accepted.</summary>
public enum VerificationFailure
{
    None,
    /// <summary>Not an envelope, or a payload or value that cannot be read.</summary>
    Malformed,
    /// <summary>Another <c>format</c> or <c>version</c> than this client reads (or than the caller asked for).</summary>
    NotThisFormat,
    /// <summary>An <c>algorithm</c> other than ES256: not genuine.</summary>
    WrongAlgorithm,
    /// <summary>A <c>keyId</c> the published key set does not have: not genuine.</summary>
    UnknownKeyId,
    /// <summary>The signature does not verify over the payload bytes: not genuine.</summary>
    BadSignature,
    /// <summary>Genuine, but issued for another host.</summary>
    WrongFingerprint,
    /// <summary>Genuine, but not the answer to this server's saved request.</summary>
    WrongNonce,
    /// <summary>Genuine, but now is before <c>issuedAt</c> / <c>borrowedAt</c>.</summary>
    NotYetValid,
    /// <summary>Genuine, but now is past <c>validUntil</c> / <c>returnBy</c>.</summary>
    Expired,
}

/// <summary>
/// The outcome of a verification. <see cref="Payload"/> is set whenever the file is genuine (signature verified and
/// payload read), also when a later check refused it; <see cref="Reason"/> says why it was refused.
/// </summary>
public sealed record VerificationResult(VerificationFailure Failure, string? Reason, SignedFile? File, SignedPayload? Payload)
{
    public bool IsAccepted => Failure == VerificationFailure.None;

    /// <summary>The signature verified and the payload was read (whatever the later checks said).</summary>
    public bool IsGenuine => Payload is not null;

    public ActivationResponse? ActivationResponse => Payload as ActivationResponse;

    public BorrowFile? BorrowFile => Payload as BorrowFile;

    internal static VerificationResult Refused(VerificationFailure failure, string reason, SignedFile? file = null, SignedPayload? payload = null) =>
        new(failure, reason, file, payload);
}

/// <summary>
/// Verifies activation response and borrow files with the published key set only. Never throws for a bad file:
/// every problem is a <see cref="VerificationResult"/> with a reason.
/// </summary>
public sealed class SignedFileVerifier(KeySet keys, TimeProvider time)
{
    private readonly KeySet _keys = keys ?? throw new ArgumentNullException(nameof(keys));
    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>
    /// Checks the file is genuine (format and version known, ES256, key published, signature verifies) and reads its
    /// payload by its format. No host, nonce or date checks: see <see cref="VerifyActivationResponse"/> and <see cref="VerifyBorrowFile"/>.
    /// </summary>
    public VerificationResult VerifySignature(string json) => Open(json, expectedFormat: null);

    /// <summary>
    /// What a server checks before it uses an activation response: genuine, <c>hostFingerprint</c> is
    /// <paramref name="expectedFingerprint"/>, <c>nonce</c> is <paramref name="expectedNonce"/> (its saved request's),
    /// and now lies within [<c>issuedAt</c>, <c>validUntil</c>].
    /// </summary>
    public VerificationResult VerifyActivationResponse(string json, string expectedFingerprint, string expectedNonce)
    {
        var opened = Open(json, SignedFile.ActivationResponseFormat);
        if (opened.ActivationResponse is not { } response || !opened.IsAccepted)
        {
            return opened;
        }
        if (!string.Equals(response.HostFingerprint, expectedFingerprint, StringComparison.Ordinal))
        {
            return VerificationResult.Refused(VerificationFailure.WrongFingerprint,
                $"wrong fingerprint: the response is for host {response.HostFingerprint}, this host is {expectedFingerprint}.", opened.File, response);
        }
        if (!string.Equals(response.Nonce, expectedNonce, StringComparison.Ordinal))
        {
            return VerificationResult.Refused(VerificationFailure.WrongNonce,
                $"wrong nonce: the response answers the request with nonce {response.Nonce}, not this server's last request ({expectedNonce}).", opened.File, response);
        }
        return Within(opened, response.IssuedAt, response.ValidUntil, "issued", "valid until");
    }

    /// <summary>What a machine checks before it uses a borrow file: genuine, and now lies within [<c>borrowedAt</c>, <c>returnBy</c>].</summary>
    public VerificationResult VerifyBorrowFile(string json)
    {
        var opened = Open(json, SignedFile.BorrowFormat);
        return opened.BorrowFile is { } borrow && opened.IsAccepted
            ? Within(opened, borrow.BorrowedAt, borrow.ReturnBy, "borrowed", "return by")
            : opened;
    }

    private VerificationResult Within(VerificationResult opened, DateTimeOffset from, DateTimeOffset until, string fromName, string untilName)
    {
        var now = _time.GetUtcNow();
        if (now < from)
        {
            return opened with { Failure = VerificationFailure.NotYetValid, Reason = $"not yet valid: {fromName} {Json.Time(from)}, now is {Json.Time(now)}." };
        }
        if (now > until)
        {
            return opened with { Failure = VerificationFailure.Expired, Reason = $"expired: {untilName} {Json.Time(until)}, now is {Json.Time(now)}." };
        }
        return opened;
    }

    private VerificationResult Open(string json, string? expectedFormat)
    {
        if (!SignedFile.TryParse(json, out var file, out var reason))
        {
            return VerificationResult.Refused(VerificationFailure.Malformed, reason);
        }
        if (file.Format is not (SignedFile.ActivationResponseFormat or SignedFile.BorrowFormat))
        {
            return VerificationResult.Refused(VerificationFailure.NotThisFormat, $"not this format: \"{file.Format}\" is neither an activation response nor a borrow file.", file);
        }
        if (expectedFormat is not null && file.Format != expectedFormat)
        {
            return VerificationResult.Refused(VerificationFailure.NotThisFormat, $"not this format: \"{file.Format}\", expected \"{expectedFormat}\".", file);
        }
        if (file.Version != SignedFile.SupportedVersion)
        {
            return VerificationResult.Refused(VerificationFailure.NotThisFormat, $"not this format: version {file.Version}; this client reads version {SignedFile.SupportedVersion}.", file);
        }
        if (file.Algorithm != SignedFile.SupportedAlgorithm)
        {
            return VerificationResult.Refused(VerificationFailure.WrongAlgorithm, $"not genuine: wrong algorithm {file.Algorithm}; files are signed {SignedFile.SupportedAlgorithm}.", file);
        }
        var key = _keys.Find(file.KeyId);
        if (key is null)
        {
            return VerificationResult.Refused(VerificationFailure.UnknownKeyId, $"not genuine: unknown key id {file.KeyId}.", file);
        }
        if (!TryDecode(file.Payload, out var payloadBytes) || !TryDecode(file.Signature, out var signature))
        {
            return VerificationResult.Refused(VerificationFailure.Malformed, "malformed: payload or signature is not base64url.", file);
        }
        if (signature.Length != 64 || !key.Verify(payloadBytes, signature))
        {
            return VerificationResult.Refused(VerificationFailure.BadSignature, "not genuine: bad signature.", file);
        }
        try
        {
            SignedPayload? payload = file.Format == SignedFile.ActivationResponseFormat
                ? JsonSerializer.Deserialize<ActivationResponse>(payloadBytes, Json.Options)
                : JsonSerializer.Deserialize<BorrowFile>(payloadBytes, Json.Options);
            if (payload is null || payload is ActivationResponse { Licenses: var licenses } && licenses.Any(l => l is null))
            {
                return VerificationResult.Refused(VerificationFailure.Malformed, "malformed: the signed payload holds a null.", file);
            }
            return new VerificationResult(VerificationFailure.None, null, file, payload);
        }
        catch (JsonException e)
        {
            return VerificationResult.Refused(VerificationFailure.Malformed, $"malformed: the signed payload cannot be read ({e.Message}).", file);
        }
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
