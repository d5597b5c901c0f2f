using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using ChaosModular.Licensing.Data;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Licensing.Domain;
using ChaosModular.Licensing.Features;
using ChaosModular.Licensing.IntegrationEventHandlers;
using ChaosModular.Subscriptions.Contracts.Events;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.Subscriptions;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>A customer with licenses who sets up license servers: makes activation codes and activates servers through the API.</summary>
internal sealed class ServerAccount
{
    private ServerAccount(PortalFactory factory, BillingCustomer customer) => (Factory, Customer) = (factory, customer);

    public PortalFactory Factory { get; }
    public BillingCustomer Customer { get; }
    public string UserId => Customer.UserId;

    public static async Task<ServerAccount> SignUpAsync(PortalFactory factory) =>
        new(factory, await BillingCustomer.SignUpAsync(factory, card: null));

    /// <summary>A subscription and the license it gives (its event delivered), with <paramref name="seats"/> seats.</summary>
    public async Task<Guid> LicenseAsync(int seats, string plan = "vray-solo-annual")
    {
        // Started ten days ago: a monthly plan is then well inside its first paid month.
        var today = Factory.Services.GetRequiredService<TimeProvider>().Today();
        var subscriptionId = await Customer.GiveSubscriptionAsync(plan, "EUR", seats, today.AddDays(-10));
        await using var scope = Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LicenseFollowsSubscription>().HandleAsync(
            new SubscriptionCreated(Guid.NewGuid(), DateTime.UtcNow, subscriptionId, UserId, plan, seats, default), CancellationToken.None);
        return await scope.ServiceProvider.GetRequiredService<LicensingDbContext>().Licenses.Where(l => l.SubscriptionId == subscriptionId).Select(l => l.Id).SingleAsync();
    }

    /// <summary>What the License Servers page's button does: a code, shown once.</summary>
    public async Task<string> ActivationCodeAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var (code, _) = await scope.ServiceProvider.GetRequiredService<CreateActivationCode>().HandleAsync(UserId, CancellationToken.None);
        return code;
    }

    /// <summary>A new code, traded by a new server (or the host <paramref name="fingerprint"/>) for its secret.</summary>
    public async Task<LicenseServerClient> ActivateServerAsync(string? fingerprint = null)
    {
        var server = new LicenseServerClient(Factory, fingerprint);
        var response = await server.ActivateAsync(await ActivationCodeAsync());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return server;
    }

    public async Task<License> LicenseOfAsync(Guid licenseId) => await Factory.InLicensing(db => db.Licenses.AsNoTracking().SingleAsync(l => l.Id == licenseId));

    /// <summary>The seats in use of a license as the Licenses page shows them.</summary>
    public async Task<int> InUseOnLicensesPageAsync(Guid licenseId)
    {
        var html = await Customer.Client.GetPageAsync("/licensing");
        var row = html[html.IndexOf($"data-license=\"{licenseId}\"", StringComparison.Ordinal)..];
        var marker = "data-in-use=\"";
        var start = row.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return int.Parse(row[start..row.IndexOf('"', start)], System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>A license server talking to the online API, as the License Server application would.</summary>
internal sealed class LicenseServerClient
{
    public const string Api = "/api/license-servers/v1";

    public LicenseServerClient(PortalFactory factory, string? fingerprint = null)
    {
        Http = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        Fingerprint = fingerprint ?? NewFingerprint();
    }

    public HttpClient Http { get; }
    public string Fingerprint { get; }
    public string ServerId { get; } = $"farm-{Guid.NewGuid():N}"[..20];
    public string? Secret { get; private set; }
    public Guid ServerKey { get; private set; }

    public static string NewFingerprint() => "sha256:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public async Task<HttpResponseMessage> ActivateAsync(string code)
    {
        var response = await Http.PostAsJsonAsync($"{Api}/activate", new { activationCode = code, serverId = ServerId, serverName = "Render farm", hostFingerprint = Fingerprint });
        if (response.StatusCode == HttpStatusCode.Created)
        {
            using var body = await Json(response);
            Secret = body.RootElement.GetProperty("secret").GetString();
            ServerKey = body.RootElement.GetProperty("serverKey").GetGuid();
        }
        return response;
    }

    public Task<HttpResponseMessage> LicensesAsync() => SendAsync(HttpMethod.Get, "/licenses");

    public Task<HttpResponseMessage> LeaseAsync(Guid licenseId, int? seats = null) =>
        SendAsync(HttpMethod.Post, "/leases", seats is null ? new { licenseId } : new { licenseId, seats });

    public Task<HttpResponseMessage> LeaseProductAsync(string product, int seats = 1) => SendAsync(HttpMethod.Post, "/leases", new { product, seats });

    public Task<HttpResponseMessage> HeartbeatAsync() => SendAsync(HttpMethod.Post, "/heartbeat");

    public Task<HttpResponseMessage> ReleaseAsync(Guid leaseId) => SendAsync(HttpMethod.Delete, $"/leases/{leaseId}");

    /// <summary>The lease's id from a 201 answer to <see cref="LeaseAsync"/>.</summary>
    public async Task<Guid> LeasedAsync(Guid licenseId, int? seats = null)
    {
        var response = await LeaseAsync(licenseId, seats);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = await Json(response);
        return body.RootElement.GetProperty("leaseId").GetGuid();
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, string? secret = null)
    {
        using var request = new HttpRequestMessage(method, Api + path);
        var bearer = secret ?? Secret;
        if (!string.IsNullOrEmpty(bearer))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await Http.SendAsync(request);
    }

    public static async Task<JsonDocument> Json(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync());

    /// <summary>An RFC 9457 problem: its media type and members; the detail is returned.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = await Json(response);
        var root = problem.RootElement;
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("title").GetString()));
        return root.GetProperty("detail").GetString() ?? "";
    }
}
