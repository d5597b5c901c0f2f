using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChaosModular.Licensing;
using ChaosModular.Licensing.Domain;
using ChaosModular.Licensing.Signing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>The request file's rules and the signed envelope: a response verifies with only the public key, and nothing else does.</summary>
public sealed class LicenseFilesTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "chaos-key-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(Now));

    public void Dispose()
    {
        if (Directory.Exists(_keys))
        {
            Directory.Delete(_keys, recursive: true);
        }
    }

    internal static string Request(string? format = null, int version = 1, string serverId = "farm-01", string fingerprint = "sha256:" + "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12",
        DateTime? createdAt = null, string? nonce = null, string seats = """[{"product":"vray-solo","seats":2}]""") =>
        $$"""
        {"format":"{{format ?? ActivationRequestFile.Format}}","version":{{version}},"serverId":"{{serverId}}","serverName":"Render farm 01",
         "hostFingerprint":"{{fingerprint}}","createdAt":"{{(createdAt ?? Now):yyyy-MM-ddTHH:mm:ssZ}}","nonce":"{{nonce ?? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16))}}",
         "seats":{{seats}}}
        """;

    private static (ActivationRequest? Request, string? Problem) Parse(string json) => ActivationRequestFile.Parse(Encoding.UTF8.GetBytes(json), Now, 7);

    [Fact]
    public void A_version_1_request_is_read_with_every_member()
    {
        var (request, problem) = Parse(Request(seats: """[{"product":"vray-solo","seats":2},{"product":"corona-solo","seats":1}]"""));

        Assert.Null(problem);
        Assert.Equal(("farm-01", "Render farm 01", Now), (request!.ServerId, request.ServerName, request.CreatedAt));
        Assert.Equal([new RequestedSeats("vray-solo", 2), new RequestedSeats("corona-solo", 1)], request.Seats);
    }

    [Theory]
    [InlineData("not json at all", "it is not JSON")]
    [InlineData("""{"format":"something-else","version":1}""", "This is not an activation request file")]
    public void A_file_of_another_kind_says_so(string json, string expected) =>
        Assert.Contains(expected, Parse(json).Problem, StringComparison.Ordinal);

    [Fact]
    public void Each_bad_member_is_named()
    {
        Assert.Contains("version", Parse(Request(version: 2)).Problem, StringComparison.Ordinal);
        Assert.Contains("serverId", Parse(Request(serverId: "farm 01/..")).Problem, StringComparison.Ordinal);
        Assert.Contains("hostFingerprint", Parse(Request(fingerprint: "sha256:XYZ")).Problem, StringComparison.Ordinal);
        Assert.Contains("nonce", Parse(Request(nonce: "c2hvcnQ")).Problem, StringComparison.Ordinal);
        Assert.Contains("names no seats", Parse(Request(seats: "[]")).Problem, StringComparison.Ordinal);
        Assert.Contains("not 1–1000", Parse(Request(seats: """[{"product":"vray-solo","seats":0}]""")).Problem, StringComparison.Ordinal);
        Assert.Contains("twice", Parse(Request(seats: """[{"product":"vray-solo","seats":1},{"product":"vray-solo","seats":1}]""")).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_older_than_the_limit_has_expired_and_one_from_the_future_is_refused()
    {
        Assert.Null(Parse(Request(createdAt: Now.AddDays(-7))).Problem);
        Assert.Contains("has expired", Parse(Request(createdAt: Now.AddDays(-7).AddSeconds(-1))).Problem, StringComparison.Ordinal);
        Assert.Null(Parse(Request(createdAt: Now.AddMinutes(5))).Problem);
        Assert.Contains("in the future", Parse(Request(createdAt: Now.AddMinutes(6))).Problem, StringComparison.Ordinal);
    }

    private SigningKeyRing Ring(string? activeKeyId = null, bool generate = true) => new(
        Options.Create(new LicensingOptions { Signing = new() { KeyDirectory = _keys, GenerateIfMissing = generate, ActiveKeyId = activeKeyId } }),
        new TestEnvironment(), _clock, NullLogger<SigningKeyRing>.Instance);

    private static BorrowPayload Payload() =>
        new("CM-1", Guid.NewGuid(), Guid.NewGuid(), "vray-solo", "V-Ray Solo", 2, "laptop-anna", Now, Now.AddDays(7));

    /// <summary>What a license server does: only the published JWKS, no portal code.</summary>
    private static bool VerifiesWithPublishedKeys(string file, string jwks)
    {
        using var envelope = JsonDocument.Parse(file);
        var kid = envelope.RootElement.GetProperty("keyId").GetString();
        using var keys = JsonDocument.Parse(jwks);
        var jwk = keys.RootElement.GetProperty("keys").EnumerateArray().FirstOrDefault(k => k.GetProperty("kid").GetString() == kid);
        if (jwk.ValueKind == JsonValueKind.Undefined)
        {
            return false;
        }
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()), Y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()) },
        });
        return key.VerifyData(Base64Url.DecodeFromChars(envelope.RootElement.GetProperty("payload").GetString()),
            Base64Url.DecodeFromChars(envelope.RootElement.GetProperty("signature").GetString()), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static string Jwks(SigningKeyRing ring) => JsonSerializer.Serialize(SignedFiles.KeySet(ring.Keys, ring.Active.Id));

    [Fact]
    public void A_signed_file_verifies_with_only_the_published_public_key_and_reads_back()
    {
        var ring = Ring();
        var payload = Payload();
        var file = SignedFiles.Sign(SignedFiles.BorrowFormat, payload, ring.Active);

        Assert.True(VerifiesWithPublishedKeys(file, Jwks(ring)));
        var (read, problem) = SignedFiles.Verify<BorrowPayload>(file, SignedFiles.BorrowFormat, ring.Find);
        Assert.Null(problem);
        Assert.Equal(payload, read);
        Assert.DoesNotContain("\"d\"", Jwks(ring), StringComparison.Ordinal);   // no private part is published
    }

    [Fact]
    public void One_changed_byte_of_the_payload_fails()
    {
        var ring = Ring();
        var file = SignedFiles.Sign(SignedFiles.BorrowFormat, Payload(), ring.Active);
        using var envelope = JsonDocument.Parse(file);
        var bytes = Base64Url.DecodeFromChars(envelope.RootElement.GetProperty("payload").GetString());
        var seats = Encoding.UTF8.GetBytes("\"seats\":2");
        var at = bytes.AsSpan().IndexOf(seats);
        bytes[at + seats.Length - 1] = (byte)'9';   // "seats":9
        var tampered = file.Replace(envelope.RootElement.GetProperty("payload").GetString()!, Base64Url.EncodeToString(bytes), StringComparison.Ordinal);

        Assert.False(VerifiesWithPublishedKeys(tampered, Jwks(ring)));
        Assert.Contains("signature does not match", SignedFiles.Verify<BorrowPayload>(tampered, SignedFiles.BorrowFormat, ring.Find).Problem, StringComparison.Ordinal);
        Assert.True(VerifiesWithPublishedKeys(file, Jwks(ring)));   // the untouched file still does: the check can tell them apart
    }

    [Fact]
    public void A_file_signed_by_an_unknown_key_id_fails()
    {
        var ring = Ring();
        var file = SignedFiles.Sign(SignedFiles.BorrowFormat, Payload(), ring.Active).Replace(ring.Active.Id, "lk-unknown", StringComparison.Ordinal);

        Assert.False(VerifiesWithPublishedKeys(file, Jwks(ring)));
        Assert.Contains("unknown key (lk-unknown)", SignedFiles.Verify<BorrowPayload>(file, SignedFiles.BorrowFormat, ring.Find).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_of_another_format_is_not_taken_for_this_one()
    {
        var ring = Ring();
        var borrow = SignedFiles.Sign(SignedFiles.BorrowFormat, Payload(), ring.Active);

        Assert.Contains("not a chaos.license-server.activation-response file",
            SignedFiles.Verify<ActivationResponsePayload>(borrow, SignedFiles.ActivationResponseFormat, ring.Find).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void After_a_rotation_the_new_key_signs_and_files_of_the_old_key_still_verify()
    {
        var ring = Ring();
        var old = ring.Active;
        var before = SignedFiles.Sign(SignedFiles.BorrowFormat, Payload(), old);

        _clock.Advance(TimeSpan.FromDays(1));
        var rotated = Ring();   // a restart after a new key file was added
        rotated.Generate();

        Assert.NotEqual(old.Id, rotated.Active.Id);
        Assert.Equal(2, rotated.Keys.Count);
        var jwks = Jwks(rotated);
        Assert.Contains($"\"kid\":\"{old.Id}\"", jwks, StringComparison.Ordinal);
        Assert.True(VerifiesWithPublishedKeys(before, jwks));
        Assert.True(VerifiesWithPublishedKeys(SignedFiles.Sign(SignedFiles.BorrowFormat, Payload(), rotated.Active), jwks));
        Assert.Contains("\"status\":\"retired\"", jwks, StringComparison.Ordinal);
    }

    [Fact]
    public void A_retired_public_only_key_verifies_but_does_not_sign()
    {
        var ring = Ring();
        var old = ring.Active;
        var before = SignedFiles.Sign(SignedFiles.BorrowFormat, Payload(), old);
        // Retire it: only its public half stays.
        File.WriteAllText(Path.Combine(_keys, old.Id + ".pub.pem"), old.Key.ExportSubjectPublicKeyInfoPem());
        File.Delete(Path.Combine(_keys, old.Id + ".pem"));
        var restarted = Ring();

        Assert.NotEqual(old.Id, restarted.Active.Id);   // with no private key left a new one was made
        Assert.Null(SignedFiles.Verify<BorrowPayload>(before, SignedFiles.BorrowFormat, restarted.Find).Problem);
        Assert.Throws<InvalidOperationException>(() => SignedFiles.Sign(SignedFiles.BorrowFormat, Payload(), restarted.Find(old.Id)!));
    }

    [Fact]
    public void Outside_development_no_key_means_a_clear_refusal_not_a_made_up_key()
    {
        var ring = Ring(generate: false);

        var refusal = Assert.Throws<InvalidOperationException>(() => ring.Active);
        Assert.Contains("Licensing:Signing", refusal.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_keys) && Directory.EnumerateFiles(_keys).Any());
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;
        public string ApplicationName { get; set; } = "tests";
        public string ContentRootPath { get; set; } = Path.GetTempPath();
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
