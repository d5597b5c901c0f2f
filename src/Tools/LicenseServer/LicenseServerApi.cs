using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ChaosModular.Tools.LicenseServer;

/// <summary>The answer to <c>POST /activate</c>. The secret is shown once: keep it.</summary>
public sealed record ServerActivation(string ServerKey, string Secret, int LeaseTtlSeconds, int HeartbeatSeconds);

/// <summary>One license of the account as <c>GET /licenses</c> lists it.</summary>
public sealed record ServerLicense(string LicenseId, string Product, string? ProductName, string? Type, int Quantity, int InUse, int Borrowed, int Available, DateOnly? ExpiresOn);

/// <summary>A lease this server holds.</summary>
public sealed record Lease(string LeaseId, string LicenseId, int Seats, DateTimeOffset ExpiresAt);

/// <summary>A lease that ended without the server asking, and why (<c>TimedOut</c>, <c>ServerDeactivated</c>, <c>SeatsReduced</c>, <c>LicenseExpired</c>).</summary>
public sealed record EndedLease(string LeaseId, string LicenseId, string Reason);

/// <summary>The answer to <c>POST /heartbeat</c>.</summary>
public sealed record Heartbeat(DateTimeOffset ServerTime, int LeaseTtlSeconds, IReadOnlyList<Lease> Leases, IReadOnlyList<EndedLease> Ended);

/// <summary>What to lease seats of: a license by id, or a product (the portal picks the license).</summary>
public sealed record LeaseTarget
{
    private LeaseTarget(string? licenseId, string? product)
    {
        LicenseId = licenseId;
        Product = product;
    }

    public string? LicenseId { get; }

    public string? Product { get; }

    public static LeaseTarget ForLicense(string licenseId) =>
        new(string.IsNullOrWhiteSpace(licenseId) ? throw new ArgumentException("A license id is required.", nameof(licenseId)) : licenseId, null);

    public static LeaseTarget ForProduct(string product) =>
        new(null, string.IsNullOrWhiteSpace(product) ? throw new ArgumentException("A product code is required.", nameof(product)) : product);

    public override string ToString() => LicenseId is not null ? $"license {LicenseId}" : $"product {Product}";
}

/// <summary>
/// The portal answered with an error (RFC 9457 problem details where it sent them): <see cref="Status"/>,
/// <see cref="Title"/>, <see cref="Detail"/>, and <see cref="RetryAfter"/> on 429.
/// </summary>
public sealed class LicenseServerApiException : Exception
{
    public LicenseServerApiException()
    {
    }

    public LicenseServerApiException(string message) : base(message)
    {
    }

    public LicenseServerApiException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public LicenseServerApiException(int status, string? title, string? detail, string? type = null, TimeSpan? retryAfter = null)
        : base(Describe(status, title, detail))
    {
        Status = status;
        Title = title;
        Detail = detail;
        Type = type;
        RetryAfter = retryAfter;
    }

    public int Status { get; }

    public string? Title { get; }

    public string? Detail { get; }

    public string? Type { get; }

    public TimeSpan? RetryAfter { get; }

    private static string Describe(int status, string? title, string? detail) =>
        $"{status} {title ?? "error"}" + (string.IsNullOrWhiteSpace(detail) ? "" : $": {detail}");
}

/// <summary>
/// The online API <c>/api/license-servers/v1</c> of a portal. <see cref="ActivateAsync"/> needs no secret and
/// keeps the one it gets in <see cref="Secret"/>; every other call sends it as a bearer token.
/// Errors throw <see cref="LicenseServerApiException"/>; network failures stay <see cref="HttpRequestException"/>.
/// </summary>
public sealed class LicenseServerApi
{
    public const string BasePath = "api/license-servers/v1/";

    private readonly HttpClient _http;
    private readonly Uri _base;

    /// <param name="http">Any client; its <see cref="HttpClient.BaseAddress"/> is not used.</param>
    /// <param name="portal">The portal's address, e.g. <c>https://portal.example.com/</c>.</param>
    /// <param name="secret">The server's secret, when it has been activated.</param>
    public LicenseServerApi(HttpClient http, Uri portal, string? secret = null)
    {
        ArgumentNullException.ThrowIfNull(portal);
        _http = http ?? throw new ArgumentNullException(nameof(http));
        if (!portal.IsAbsoluteUri)
        {
            throw new ArgumentException("The portal address must be absolute.", nameof(portal));
        }
        var root = portal.AbsoluteUri.EndsWith('/') ? portal : new Uri(portal.AbsoluteUri + "/");
        _base = new Uri(root, BasePath);
        Secret = secret;
    }

    public string? Secret { get; set; }

    /// <summary><c>POST /activate</c>: exchanges a one-time activation code for this server's secret (also kept in <see cref="Secret"/>).</summary>
    public async Task<ServerActivation> ActivateAsync(string code, string serverId, string serverName, string fingerprint, CancellationToken cancellationToken = default)
    {
        var body = new { activationCode = code, serverId, serverName, hostFingerprint = fingerprint };
        var activation = await SendAsync<ServerActivation>(HttpMethod.Post, "activate", body, authorized: false, cancellationToken).ConfigureAwait(false);
        Secret = activation.Secret;
        return activation;
    }

    /// <summary><c>GET /licenses</c>: the account's licenses with their seats in use, borrowed and available.</summary>
    public async Task<IReadOnlyList<ServerLicense>> LicensesAsync(CancellationToken cancellationToken = default) =>
        await SendAsync<List<ServerLicense>>(HttpMethod.Get, "licenses", null, authorized: true, cancellationToken).ConfigureAwait(false);

    /// <summary><c>POST /leases</c>: takes <paramref name="seats"/> seats (409 when not free, 404 no such license).</summary>
    public Task<Lease> LeaseAsync(LeaseTarget target, int seats = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(seats, 1);
        object body = target.LicenseId is not null
            ? new { licenseId = target.LicenseId, seats }
            : new { product = target.Product, seats };
        return SendAsync<Lease>(HttpMethod.Post, "leases", body, authorized: true, cancellationToken);
    }

    /// <summary><c>POST /heartbeat</c>: renews all this server's leases; tells once which ended without it asking.</summary>
    public Task<Heartbeat> HeartbeatAsync(CancellationToken cancellationToken = default) =>
        SendAsync<Heartbeat>(HttpMethod.Post, "heartbeat", null, authorized: true, cancellationToken);

    /// <summary><c>DELETE /leases/{leaseId}</c>: gives the seats back (404 when not this server's lease).</summary>
    public async Task ReleaseAsync(string leaseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(leaseId);
        using var response = await SendRawAsync(HttpMethod.Delete, "leases/" + Uri.EscapeDataString(leaseId), null, authorized: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, bool authorized, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, body, authorized, cancellationToken).ConfigureAwait(false);
        try
        {
            var answer = await response.Content.ReadFromJsonAsync<T>(Json.Options, cancellationToken).ConfigureAwait(false);
            return answer ?? throw new LicenseServerApiException((int)response.StatusCode, "Unreadable answer", "The portal answered null.");
        }
        catch (JsonException e)
        {
            throw new LicenseServerApiException((int)response.StatusCode, "Unreadable answer", $"The portal's answer does not match the spec: {e.Message}");
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, bool authorized, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (authorized)
        {
            if (string.IsNullOrEmpty(Secret))
            {
                throw new InvalidOperationException("This server has no secret: activate it first.");
            }
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json.Options);
        }
        var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            throw await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<LicenseServerApiException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => (TimeSpan?)null,
        };
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                string? Member(string name) => problem.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                return new LicenseServerApiException(status, Member("title") ?? response.ReasonPhrase, Member("detail"), Member("type"), retryAfter);
            }
        }
        catch (JsonException)
        {
            // Not problem details: the reason phrase and the start of the body say what there is.
        }
        var detail = text.Length > 300 ? text[..300] + "…" : text;
        return new LicenseServerApiException(status, response.ReasonPhrase ?? ((HttpStatusCode)status).ToString(), string.IsNullOrWhiteSpace(detail) ? null : detail.Trim(), null, retryAfter);
    }
}
