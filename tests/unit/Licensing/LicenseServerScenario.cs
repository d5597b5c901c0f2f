using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using ChaosModular.Licensing.Contracts;
using ChaosModular.Licensing.Data;
using ChaosModular.Licensing.Domain;
using ChaosModular.Licensing.Features;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.Subscriptions;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>An activation request file as a license server writes it (docs/licensing-files-and-api.md), with the parts a test varies.</summary>
public sealed class ActivationRequestBuilder
{
    private readonly List<object> _seats = [];
    private DateTime _createdAt;

    public ActivationRequestBuilder(DateTime createdAt) => _createdAt = createdAt;

    public string ServerId { get; private set; } = "farm-" + Guid.NewGuid().ToString("N")[..6];
    public string ServerName { get; private set; } = "Render farm " + Guid.NewGuid().ToString("N")[..4];
    public string Fingerprint { get; private set; } = "sha256:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>16 random bytes, base64url.</summary>
    public string Nonce { get; private set; } = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public ActivationRequestBuilder Seats(string product, int seats)
    {
        _seats.Add(new { product, seats });
        return this;
    }

    public ActivationRequestBuilder CreatedAt(DateTime createdAt)
    {
        _createdAt = createdAt;
        return this;
    }

    public ActivationRequestBuilder OnHost(string fingerprint)
    {
        Fingerprint = fingerprint;
        return this;
    }

    public byte[] Build() => JsonSerializer.SerializeToUtf8Bytes(new
    {
        format = "chaos.license-server.activation-request",
        version = 1,
        serverId = ServerId,
        serverName = ServerName,
        hostFingerprint = Fingerprint,
        createdAt = _createdAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        nonce = Nonce,
        seats = _seats,
    });
}

/// <summary>The journeys of Licensing › License Servers, driven through the portal's pages as a browser would.</summary>
internal static class LicenseServerScenario
{
    public static readonly DateOnly March1 = new(2026, 3, 1);   // annual from here: paid until 2027-02-28

    /// <summary>A new signed-in customer with an active license of <paramref name="plan"/> (Licensing has followed the subscription).</summary>
    public static async Task<(BillingCustomer Customer, Guid LicenseId)> CustomerWithLicenseAsync(PortalFactory factory, string plan = "vray-solo-annual", int seats = 3)
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        return (customer, await customer.GiveLicenseAsync(plan, seats));
    }

    public static async Task<Guid> GiveLicenseAsync(this BillingCustomer customer, string plan, int seats, DateOnly? activatedOn = null)
    {
        var subscriptionId = await customer.GiveSubscriptionAsync(plan, "EUR", seats, activatedOn ?? March1);
        await using var scope = customer.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<FollowSubscription>().HandleAsync(subscriptionId, CancellationToken.None);
        return await scope.ServiceProvider.GetRequiredService<LicensingDbContext>().Licenses.Where(l => l.SubscriptionId == subscriptionId).Select(l => l.Id).SingleAsync();
    }

    /// <summary>Uploads a request file on the Activate page, with the page's antiforgery token, as its form would.</summary>
    public static async Task<HttpResponseMessage> UploadRequestAsync(this PortalClient client, byte[] file, string fileName = "farm-request.json")
    {
        var token = Token(await client.GetPageAsync(LicensingRoutes.ActivateFromFile));
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        form.Add(content, "RequestFile", fileName);
        return await client.Http.PostAsync(new Uri(LicensingRoutes.ActivateFromFile, UriKind.Relative), form);
    }

    /// <summary>Uploads a file that must be activated: returns the activation's id from the redirect.</summary>
    public static async Task<Guid> ActivateAsync(this PortalClient client, ActivationRequestBuilder request)
    {
        var response = await client.UploadRequestAsync(request.Build());
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, PortalClient.Decode(await response.Content.ReadAsStringAsync()));
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/licensing/servers/activations/", location, StringComparison.Ordinal);
        return Guid.Parse(location["/licensing/servers/activations/".Length..]);
    }

    /// <summary>Posts a form of <paramref name="page"/> (a button's form posting to <paramref name="action"/>) with the page's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostFromAsync(this PortalClient client, string page, string action, IDictionary<string, string>? fields = null)
    {
        var form = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", Token(await client.GetPageAsync(page))) };
        form.AddRange(fields ?? new Dictionary<string, string>());
        return await client.Http.PostAsync(new Uri(action, UriKind.Relative), new FormUrlEncodedContent(form));
    }

    public static string Token(string html) => PortalClient.HiddenFields(html).First(f => f.Key == "__RequestVerificationToken").Value;

    /// <summary>
    /// Checks a signed file the way a license server does, knowing only the published key set: the key named by
    /// <c>keyId</c>, ECDSA P-256 from its x and y, the P1363 signature over the decoded payload bytes. Returns the payload.
    /// </summary>
    public static async Task<JsonElement> VerifyWithPublishedKeysAsync(HttpClient http, string file, string format)
    {
        using var keySet = JsonDocument.Parse(await http.GetStringAsync(new Uri("/.well-known/chaos-license-keys.json", UriKind.Relative)));
        using var envelope = JsonDocument.Parse(file);
        var root = envelope.RootElement;
        Assert.Equal(format, root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("ES256", root.GetProperty("algorithm").GetString());
        var keyId = root.GetProperty("keyId").GetString();
        var jwk = keySet.RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == keyId);
        Assert.Equal(("EC", "P-256"), (jwk.GetProperty("kty").GetString(), jwk.GetProperty("crv").GetString()));
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()), Y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()) },
        });
        var payload = Base64Url.DecodeFromChars(root.GetProperty("payload").GetString());
        var signature = Base64Url.DecodeFromChars(root.GetProperty("signature").GetString());
        Assert.True(key.VerifyData(payload, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), "The signature does not verify with the published key.");
        var tampered = (byte[])payload.Clone();
        tampered[^2] ^= 1;
        Assert.False(key.VerifyData(tampered, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), "A changed payload must not verify.");
        using var parsed = JsonDocument.Parse(payload);
        return parsed.RootElement.Clone();
    }

    public static async Task<T> InLicensing<T>(this PortalFactory factory, Func<LicensingDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<LicensingDbContext>());
    }

    public static async Task<string> CustomerNumberAsync(this PortalFactory factory, string userId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<ChaosModular.Accounts.Contracts.IAccountsApi>().FindCustomerAsync(userId, CancellationToken.None);
        return account!.CustomerNumber;
    }

    public static Task<License> LicenseAsync(this PortalFactory factory, Guid licenseId) =>
        factory.InLicensing(db => db.Licenses.AsNoTracking().SingleAsync(l => l.Id == licenseId));

    /// <summary>What a refused upload or borrow must leave as it was.</summary>
    public sealed record Footprint(int Servers, int Leases, int FileActivations, int Borrows, int InUse, int Borrowed);

    public static Task<Footprint> FootprintAsync(this PortalFactory factory, string customerId, Guid licenseId) =>
        factory.InLicensing(async db => new Footprint(
            await db.Servers.CountAsync(s => s.CustomerId == customerId),
            await db.Leases.CountAsync(l => l.CustomerId == customerId),
            await db.FileActivations.CountAsync(a => a.CustomerId == customerId),
            await db.Borrows.CountAsync(b => b.CustomerId == customerId),
            await db.Licenses.Where(l => l.Id == licenseId).Select(l => l.InUse).SingleAsync(),
            await db.Licenses.Where(l => l.Id == licenseId).Select(l => l.Borrowed).SingleAsync()));
}
