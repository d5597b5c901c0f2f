using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChaosModular.Tools.LicenseServer;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>
/// The reference license-server client (src/Tools/LicenseServer) against files made here exactly as
/// docs/licensing-files-and-api.md says: an ECDSA P-256 key of the test signs, the client sees only the published key set.
/// </summary>
public sealed class ReferenceClientTests : IDisposable
{
    private const string KeyId = "lk-20261130-3f9a1c";
    private const string Fingerprint = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private const string Nonce = "q3V1a0xq8Cq1b0F2m3N4pA";
    private static readonly DateTimeOffset IssuedAt = new(2026, 11, 30, 12, 1, 0, TimeSpan.Zero);

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider _clock = new(IssuedAt.AddMinutes(4));
    private readonly string _directory = Directory.CreateTempSubdirectory("chaos-license-server-").FullName;

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void A_genuine_activation_response_verifies_with_only_the_published_key_set()
    {
        var keys = KeySet.Parse(Jwks((_key, KeyId, "active")));

        var result = new SignedFileVerifier(keys, _clock).VerifyActivationResponse(Envelope(ResponsePayload()), Fingerprint, Nonce);

        Assert.True(result.IsAccepted, result.Reason);
        Assert.Equal(VerificationFailure.None, result.Failure);
        var response = Assert.IsType<ActivationResponse>(result.Payload);
        Assert.Equal("CM-1000-0042-7", response.Account);
        Assert.Equal("farm-01", response.ServerId);
        Assert.Equal(IssuedAt.AddDays(30), response.ValidUntil);
        var license = Assert.Single(response.Licenses);
        Assert.Equal(("vray-7-solo", "V-Ray 7 Solo", "FloatingWorkstation", 2, new DateOnly(2027, 1, 31)),
            (license.Product, license.ProductName, license.Type, license.Seats, license.ExpiresOn));
        Assert.Equal(KeyId, result.File!.KeyId);
    }

    [Fact]
    public void Any_one_changed_byte_of_the_payload_fails_the_signature()
    {
        var verifier = new SignedFileVerifier(KeySet.Parse(Jwks((_key, KeyId, "active"))), _clock);
        var payload = ResponsePayload();
        var signature = Sign(_key, payload);

        for (var i = 0; i < payload.Length; i++)
        {
            var changed = (byte[])payload.Clone();
            changed[i] ^= 0x01;
            var result = verifier.VerifyActivationResponse(Envelope(SignedFile.ActivationResponseFormat, KeyId, changed, signature), Fingerprint, Nonce);

            Assert.Equal(VerificationFailure.BadSignature, result.Failure);
            Assert.Equal("not genuine: bad signature.", result.Reason);
            Assert.Null(result.Payload);
        }
    }

    [Fact]
    public void A_changed_signature_or_one_by_another_key_fails()
    {
        var verifier = new SignedFileVerifier(KeySet.Parse(Jwks((_key, KeyId, "active"))), _clock);
        var payload = ResponsePayload();
        var signature = Sign(_key, payload);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        foreach (var i in new[] { 0, 31, 32, 63 })
        {
            var changed = (byte[])signature.Clone();
            changed[i] ^= 0x80;
            Assert.Equal(VerificationFailure.BadSignature, verifier.VerifySignature(Envelope(SignedFile.ActivationResponseFormat, KeyId, payload, changed)).Failure);
        }
        Assert.Equal(VerificationFailure.BadSignature, verifier.VerifySignature(Envelope(SignedFile.ActivationResponseFormat, KeyId, payload, Sign(other, payload))).Failure);
        // The DER form is not the spec's r‖s.
        var der = _key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        Assert.Equal(VerificationFailure.BadSignature, verifier.VerifySignature(Envelope(SignedFile.ActivationResponseFormat, KeyId, payload, der)).Failure);
    }

    [Fact]
    public void An_unknown_key_id_is_not_genuine()
    {
        var verifier = new SignedFileVerifier(KeySet.Parse(Jwks((_key, KeyId, "active"))), _clock);
        var payload = ResponsePayload();

        var result = verifier.VerifyActivationResponse(Envelope(SignedFile.ActivationResponseFormat, "lk-20250101-000000", payload, Sign(_key, payload)), Fingerprint, Nonce);

        Assert.Equal(VerificationFailure.UnknownKeyId, result.Failure);
        Assert.Equal("not genuine: unknown key id lk-20250101-000000.", result.Reason);
    }

    [Fact]
    public void A_file_signed_with_a_retired_key_still_published_still_verifies_and_not_once_it_is_gone()
    {
        using var current = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        const string currentId = "lk-20270301-aa01bb";
        var signedByOld = Envelope(ResponsePayload());   // _key, KeyId

        var rotated = KeySet.Parse(Jwks((current, currentId, "active"), (_key, KeyId, "retired")));
        var result = new SignedFileVerifier(rotated, _clock).VerifyActivationResponse(signedByOld, Fingerprint, Nonce);

        Assert.True(result.IsAccepted, result.Reason);
        Assert.Equal("retired", rotated.Find(KeyId)!.Status);
        var withoutOld = KeySet.Parse(Jwks((current, currentId, "active")));
        Assert.Equal(VerificationFailure.UnknownKeyId, new SignedFileVerifier(withoutOld, _clock).VerifyActivationResponse(signedByOld, Fingerprint, Nonce).Failure);
    }

    [Fact]
    public void A_genuine_response_for_another_host_is_refused_with_the_reason()
    {
        var other = "sha256:" + new string('0', 64);

        var result = Verifier().VerifyActivationResponse(Envelope(ResponsePayload()), other, Nonce);

        Assert.Equal(VerificationFailure.WrongFingerprint, result.Failure);
        Assert.StartsWith("wrong fingerprint:", result.Reason, StringComparison.Ordinal);
        Assert.Contains(other, result.Reason, StringComparison.Ordinal);
        Assert.True(result.IsGenuine);
        Assert.False(result.IsAccepted);
    }

    [Fact]
    public void A_genuine_response_to_another_request_is_refused_with_the_reason()
    {
        var result = Verifier().VerifyActivationResponse(Envelope(ResponsePayload()), Fingerprint, "AAAAAAAAAAAAAAAAAAAAAA");

        Assert.Equal(VerificationFailure.WrongNonce, result.Failure);
        Assert.StartsWith("wrong nonce:", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_response_is_used_between_issue_and_valid_until_only()
    {
        var file = Envelope(ResponsePayload());
        var clock = new FakeTimeProvider(IssuedAt.AddMinutes(-1));
        var verifier = new SignedFileVerifier(KeySet.Parse(Jwks((_key, KeyId, "active"))), clock);

        var early = verifier.VerifyActivationResponse(file, Fingerprint, Nonce);
        Assert.Equal(VerificationFailure.NotYetValid, early.Failure);
        Assert.StartsWith("not yet valid:", early.Reason, StringComparison.Ordinal);

        clock.SetUtcNow(IssuedAt.AddDays(30));
        Assert.True(verifier.VerifyActivationResponse(file, Fingerprint, Nonce).IsAccepted);

        clock.Advance(TimeSpan.FromSeconds(1));
        var expired = verifier.VerifyActivationResponse(file, Fingerprint, Nonce);
        Assert.Equal(VerificationFailure.Expired, expired.Failure);
        Assert.Equal("expired: valid until 2026-12-30T12:01:00Z, now is 2026-12-30T12:01:01Z.", expired.Reason);
    }

    [Fact]
    public void Files_of_another_format_version_or_algorithm_or_not_files_at_all_are_refused_without_an_exception()
    {
        var verifier = Verifier();
        var payload = ResponsePayload();
        var signature = Sign(_key, payload);
        string With(Action<Dictionary<string, object>> change)
        {
            var envelope = new Dictionary<string, object>
            {
                ["format"] = SignedFile.ActivationResponseFormat, ["version"] = 1, ["keyId"] = KeyId, ["algorithm"] = "ES256",
                ["payload"] = Base64Url.EncodeToString(payload), ["signature"] = Base64Url.EncodeToString(signature),
            };
            change(envelope);
            return JsonSerializer.Serialize(envelope);
        }

        Assert.True(verifier.VerifyActivationResponse(With(_ => { }), Fingerprint, Nonce).IsAccepted);
        Assert.Equal(VerificationFailure.WrongAlgorithm, verifier.VerifySignature(With(e => e["algorithm"] = "RS256")).Failure);
        Assert.Equal("not genuine: wrong algorithm RS256; files are signed ES256.", verifier.VerifySignature(With(e => e["algorithm"] = "RS256")).Reason);
        Assert.Equal(VerificationFailure.NotThisFormat, verifier.VerifySignature(With(e => e["version"] = 2)).Failure);
        Assert.Equal(VerificationFailure.NotThisFormat, verifier.VerifySignature(With(e => e["format"] = "chaos.license-server.activation-request")).Failure);
        Assert.Equal(VerificationFailure.NotThisFormat, verifier.VerifyBorrowFile(With(_ => { })).Failure);
        Assert.Equal(VerificationFailure.Malformed, verifier.VerifySignature(With(e => e.Remove("signature"))).Failure);
        Assert.Equal(VerificationFailure.Malformed, verifier.VerifySignature(With(e => e["payload"] = "not base64url!")).Failure);
        foreach (var junk in new[] { "", "not json", "[]", "{\"format\": 1}", "{" })
        {
            var result = verifier.VerifySignature(junk);
            Assert.Equal(VerificationFailure.Malformed, result.Failure);
            Assert.StartsWith("malformed:", result.Reason, StringComparison.Ordinal);
        }
        // Genuinely signed, but the payload lacks a member the spec requires.
        var partial = Encoding.UTF8.GetBytes("""{"account":"CM-1000-0042-7"}""");
        Assert.Equal(VerificationFailure.Malformed, verifier.VerifySignature(Envelope(SignedFile.ActivationResponseFormat, KeyId, partial, Sign(_key, partial))).Failure);
    }

    [Fact]
    public void A_genuine_borrow_file_verifies_until_its_return_date()
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new
        {
            account = "CM-1000-0042-7", borrowId = "7d0a11", licenseId = "5b1e22", product = "vray-7-solo", productName = "V-Ray 7 Solo",
            seats = 2, machine = "laptop-anna", borrowedAt = "2026-11-30T12:05:00Z", returnBy = "2026-12-07T23:59:59Z",
        });
        var file = Envelope(SignedFile.BorrowFormat, KeyId, payload, Sign(_key, payload));
        var verifier = Verifier();
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

        var result = verifier.VerifyBorrowFile(file);
        Assert.True(result.IsAccepted, result.Reason);
        Assert.Equal(("laptop-anna", 2), (result.BorrowFile!.Machine, result.BorrowFile.Seats));
        Assert.IsType<BorrowFile>(verifier.VerifySignature(file).Payload);

        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(VerificationFailure.Expired, verifier.VerifyBorrowFile(file).Failure);
    }

    [Fact]
    public void A_key_set_that_is_not_one_or_has_a_malformed_p256_key_is_a_format_error_and_other_key_types_are_skipped()
    {
        Assert.Throws<FormatException>(() => KeySet.Parse("not json"));
        Assert.Throws<FormatException>(() => KeySet.Parse("""{"kids":[]}"""));
        Assert.Throws<FormatException>(() => KeySet.Parse("""{"keys":[{"kty":"EC","crv":"P-256","kid":"k","x":"AAAA","y":"AAAA"}]}"""));
        var offCurve = Base64Url.EncodeToString(new byte[32]);
        Assert.Throws<FormatException>(() => KeySet.Parse($$"""{"keys":[{"kty":"EC","crv":"P-256","kid":"k","x":"{{offCurve}}","y":"{{offCurve}}"}]}"""));

        var mixed = KeySet.Parse($$"""{"keys":[{"kty":"RSA","kid":"r","n":"AQAB","e":"AQAB"},{{Jwk(_key, KeyId, "active")}}]}""");
        Assert.Equal([KeyId], mixed.Keys.Select(k => k.KeyId));
    }

    [Fact]
    public void A_request_file_written_by_the_client_has_the_version_1_shape()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, 250, TimeSpan.Zero));
        var request = ActivationRequest.Create("farm-01", "Render farm 01", Fingerprint, [new("vray-7-solo", 2), new("chaos-vantage", 1)], clock);
        var path = Path.Combine(_directory, "request.json");
        request.WriteTo(path);

        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = json.RootElement;
        Assert.Equal(["format", "version", "serverId", "serverName", "hostFingerprint", "createdAt", "nonce", "seats"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("chaos.license-server.activation-request", root.GetProperty("format").GetString());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("version").ValueKind);
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("farm-01", root.GetProperty("serverId").GetString());
        Assert.Equal("Render farm 01", root.GetProperty("serverName").GetString());
        Assert.Equal(Fingerprint, root.GetProperty("hostFingerprint").GetString());
        Assert.Equal("2026-11-30T12:00:00Z", root.GetProperty("createdAt").GetString());
        var nonce = root.GetProperty("nonce").GetString()!;
        Assert.Matches("^[A-Za-z0-9_-]{22}$", nonce);
        Assert.Equal(16, Base64Url.DecodeFromChars(nonce).Length);
        Assert.Equal(request.Nonce, nonce);
        Assert.Equal([("vray-7-solo", 2), ("chaos-vantage", 1)],
            root.GetProperty("seats").EnumerateArray().Select(s => (s.GetProperty("product").GetString(), s.GetProperty("seats").GetInt32())));
        Assert.Equal((byte)'{', File.ReadAllBytes(path)[0]);   // UTF-8 without a byte order mark
        Assert.NotEqual(nonce, ActivationRequest.Create("farm-01", "Render farm 01", Fingerprint, [new("vray-7-solo", 2)], clock).Nonce);
    }

    [Fact]
    public void A_request_the_spec_would_refuse_is_not_written()
    {
        Assert.Empty(ActivationRequest.Problems("farm-01", "Render farm 01", Fingerprint, [new("vray-7-solo", 1)]));
        // Id, name, fingerprint, two seat counts out of range, the product twice.
        Assert.Equal(6, ActivationRequest.Problems("farm 01", "", "sha256:ABC", [new("vray-7-solo", 0), new("vray-7-solo", 1001)]).Count);
        Assert.Contains("Product vray-7-solo is named more than once.", ActivationRequest.Problems("f", "n", Fingerprint, [new("vray-7-solo", 1), new("vray-7-solo", 2)]));
        Assert.NotEmpty(ActivationRequest.Problems(new string('a', 65), "n", Fingerprint, [new("p", 1)]));
        Assert.NotEmpty(ActivationRequest.Problems("f", "n", Fingerprint, []));
        Assert.Throws<ArgumentException>(() => ActivationRequest.Create("farm 01", "n", Fingerprint, [new("p", 1)], _clock));
    }

    [Fact]
    public void The_host_fingerprint_is_sha256_and_64_lower_hex_digits()
    {
        Assert.True(HostFingerprint.IsValid(HostFingerprint.OfThisMachine()));
        Assert.Equal(HostFingerprint.OfThisMachine(), HostFingerprint.OfThisMachine());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData("abc\nhost"u8)), HostFingerprint.Of("abc", "host"));
        Assert.True(HostFingerprint.IsValid(Fingerprint));
        Assert.False(HostFingerprint.IsValid(Fingerprint.ToUpperInvariant()));
        Assert.False(HostFingerprint.IsValid(Fingerprint[..^1]));
        Assert.False(HostFingerprint.IsValid(Fingerprint + "\n"));
        Assert.False(HostFingerprint.IsValid(Fingerprint["sha256:".Length..]));
        Assert.False(HostFingerprint.IsValid(null));
    }

    [Fact]
    public async Task The_commands_write_a_request_then_accept_its_response_and_refuse_another_with_exit_codes()
    {
        var state = Path.Combine(_directory, "state.json");
        var keys = Path.Combine(_directory, "keys.json");
        await File.WriteAllTextAsync(keys, Jwks((_key, KeyId, "active")));
        var requestPath = Path.Combine(_directory, "request.json");

        var (code, output, _) = await Run("request", "--server-id", "farm-01", "--name", "Render farm 01", "--fingerprint", Fingerprint,
            "--seats", "vray-7-solo=2", "--out", requestPath, "--state", state);
        Assert.Equal(0, code);
        Assert.Contains("Wrote the activation request", output, StringComparison.Ordinal);
        using var request = JsonDocument.Parse(await File.ReadAllBytesAsync(requestPath));
        var nonce = request.RootElement.GetProperty("nonce").GetString()!;
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(state));
        }

        var response = Path.Combine(_directory, "response.json");
        await File.WriteAllTextAsync(response, Envelope(ResponsePayload(nonce)));
        (code, output, var error) = await Run("verify", "--file", response, "--keys", keys, "--state", state);
        Assert.True(code == 0, error);
        Assert.Contains("Valid until: 2026-12-30T12:01:00Z", output, StringComparison.Ordinal);
        Assert.Contains("vray-7-solo (V-Ray 7 Solo), FloatingWorkstation: 2 seat(s), expires 2027-01-31", output, StringComparison.Ordinal);

        await File.WriteAllTextAsync(response, Envelope(ResponsePayload()));   // answers another request
        (code, _, error) = await Run("verify", "--file", response, "--keys", keys, "--state", state);
        Assert.Equal(1, code);
        Assert.Contains("Refused: wrong nonce", error, StringComparison.Ordinal);

        Assert.Equal(2, (await Run("verify", "--file", response)).Code);
        Assert.Equal(2, (await Run("request", "--server-id", "farm-01", "--name", "n", "--seats", "vray", "--out", requestPath, "--state", state)).Code);
        Assert.Equal(1, (await Run("request", "--server-id", "farm 01", "--name", "n", "--seats", "vray=1", "--out", requestPath, "--state", state)).Code);
        Assert.Equal(1, (await Run("licenses", "--state", Path.Combine(_directory, "none.json"))).Code);
        Assert.Equal(2, (await Run("frobnicate")).Code);
        Assert.Equal(0, (await Run("help")).Code);
    }

    [Fact]
    public async Task The_api_client_sends_the_secret_and_surfaces_problem_details()
    {
        var handler = new Recording(request => request.RequestUri!.AbsolutePath switch
        {
            "/portal/api/license-servers/v1/activate" => Answer(HttpStatusCode.Created, """{"serverKey":"ls-1","secret":"s3cret","leaseTtlSeconds":600,"heartbeatSeconds":120}"""),
            "/portal/api/license-servers/v1/leases" => Answer(HttpStatusCode.Conflict, """{"type":"about:blank","title":"No seats free","status":409,"detail":"All 2 seats of vray-7-solo are in use."}""", "application/problem+json"),
            "/portal/api/license-servers/v1/heartbeat" => Answer(HttpStatusCode.OK, """{"serverTime":"2026-11-30T12:05:00Z","leaseTtlSeconds":600,"leases":[{"leaseId":"l1","licenseId":"5b1e","seats":1,"expiresAt":"2026-11-30T12:15:00Z"}],"ended":[{"leaseId":"l0","licenseId":"5b1e","reason":"TimedOut"}]}"""),
            _ => Answer(HttpStatusCode.NotFound, ""),
        });
        using var http = new HttpClient(handler);
        var api = new LicenseServerApi(http, new Uri("https://portal.example/portal"));

        var activation = await api.ActivateAsync("ABCD-EFGH", "farm-01", "Render farm 01", Fingerprint);
        Assert.Equal(("ls-1", "s3cret", 600, 120), (activation.ServerKey, activation.Secret, activation.LeaseTtlSeconds, activation.HeartbeatSeconds));
        Assert.Null(handler.Requests[0].Authorization);
        Assert.Equal("""{"activationCode":"ABCD-EFGH","serverId":"farm-01","serverName":"Render farm 01","hostFingerprint":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}""",
            JsonSerializer.Serialize(JsonDocument.Parse(handler.Requests[0].Body!).RootElement));

        var beat = await api.HeartbeatAsync();
        Assert.Equal(new AuthenticationHeaderValue("Bearer", "s3cret"), handler.Requests[1].Authorization);
        Assert.Equal("l1", Assert.Single(beat.Leases).LeaseId);
        Assert.Equal("TimedOut", Assert.Single(beat.Ended).Reason);

        var refused = await Assert.ThrowsAsync<LicenseServerApiException>(() => api.LeaseAsync(LeaseTarget.ForProduct("vray-7-solo"), 2));
        Assert.Equal((409, "No seats free", "All 2 seats of vray-7-solo are in use."), (refused.Status, refused.Title, refused.Detail));
        Assert.Equal("""{"product":"vray-7-solo","seats":2}""", JsonSerializer.Serialize(JsonDocument.Parse(handler.Requests[2].Body!).RootElement));

        var missing = await Assert.ThrowsAsync<LicenseServerApiException>(() => api.ReleaseAsync("l9"));
        Assert.Equal(404, missing.Status);
        Assert.Equal((HttpMethod.Delete, "/portal/api/license-servers/v1/leases/l9"), (handler.Requests[3].Method, handler.Requests[3].Path));
    }

    private SignedFileVerifier Verifier() => new(KeySet.Parse(Jwks((_key, KeyId, "active"))), _clock);

    private async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var http = new HttpClient(new Recording(_ => Answer(HttpStatusCode.NotFound, "")));
        var code = await Cli.RunAsync(args, new CommandContext(output, error, _clock, http));
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The payload of the spec's example, as UTF-8 JSON bytes.</summary>
    private static byte[] ResponsePayload(string nonce = Nonce) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        account = "CM-1000-0042-7",
        activationId = "0f3c9a7e",
        serverId = "farm-01",
        serverName = "Render farm 01",
        hostFingerprint = Fingerprint,
        nonce,
        issuedAt = "2026-11-30T12:01:00Z",
        validUntil = "2026-12-30T12:01:00Z",
        licenses = new[] { new { licenseId = "5b1e0000", product = "vray-7-solo", productName = "V-Ray 7 Solo", type = "FloatingWorkstation", seats = 2, expiresOn = "2027-01-31" } },
        futureMember = "readers ignore members they do not know",
    });

    private static byte[] Sign(ECDsa key, byte[] payload) =>
        key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    private string Envelope(byte[] payload) => Envelope(SignedFile.ActivationResponseFormat, KeyId, payload, Sign(_key, payload));

    private static string Envelope(string format, string keyId, byte[] payload, byte[] signature) => JsonSerializer.Serialize(new
    {
        format,
        version = 1,
        keyId,
        algorithm = "ES256",
        payload = Base64Url.EncodeToString(payload),
        signature = Base64Url.EncodeToString(signature),
    });

    private static string Jwk(ECDsa key, string kid, string status)
    {
        var q = key.ExportParameters(includePrivateParameters: false).Q;
        return JsonSerializer.Serialize(new { kty = "EC", crv = "P-256", alg = "ES256", use = "sig", kid, x = Base64Url.EncodeToString(q.X), y = Base64Url.EncodeToString(q.Y), status });
    }

    private static string Jwks(params (ECDsa Key, string Kid, string Status)[] keys) =>
        $$"""{ "keys": [ {{string.Join(", ", keys.Select(k => Jwk(k.Key, k.Kid, k.Status)))}} ] }""";

    private static HttpResponseMessage Answer(HttpStatusCode status, string body, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    private sealed record Sent(HttpMethod Method, string Path, AuthenticationHeaderValue? Authorization, string? Body);

    private sealed class Recording(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<Sent> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add(new Sent(request.Method, request.RequestUri!.AbsolutePath, request.Headers.Authorization, body));
            return answer(request);
        }
    }
}
