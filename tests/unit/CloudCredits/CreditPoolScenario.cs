using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ChaosModular.CloudCredits.Api;
using ChaosModular.CloudCredits.Data;
using ChaosModular.Organizations.Contracts;
using ChaosModular.Organizations.Data;
using ChaosModular.Organizations.Domain;

namespace ChaosModular.UnitTests.CloudCredits;

/// <summary>
/// An organization whose administrator's account holds the pool, with members and guests, as support and accepted
/// invitations would leave it; and the rendering service calling the consumption API with the development key.
/// </summary>
public sealed class CreditPoolScenario
{
    private CreditPoolScenario(PortalFactory factory, CreditsCustomer administrator, Guid organizationId)
    {
        Factory = factory;
        Administrator = administrator;
        OrganizationId = organizationId;
    }

    public PortalFactory Factory { get; }
    public CreditsCustomer Administrator { get; }
    public Guid OrganizationId { get; }

    public static async Task<CreditPoolScenario> SetUpAsync(PortalFactory factory, decimal pool = 0m)
    {
        var administrator = await CreditsCustomer.SignUpAsync(factory);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>();
        var organization = Organization.SetUp(administrator.UserId, $"Studio {Guid.NewGuid():N}"[..20], "support-test", DateTime.UtcNow);
        db.Organizations.Add(organization);
        db.Memberships.Add(Membership.Join(organization.Id, administrator.UserId, administrator.Email, OrganizationRole.Administrator, DateTime.UtcNow));
        await db.SaveChangesAsync();
        var scenario = new CreditPoolScenario(factory, administrator, organization.Id);
        if (pool > 0m)
        {
            await administrator.GrantAsync("Studio credits", pool, administrator.Today.AddDays(100));
        }
        return scenario;
    }

    public async Task<CreditsCustomer> JoinAsync(OrganizationRole role)
    {
        var person = await CreditsCustomer.SignUpAsync(Factory);
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>();
        db.Memberships.Add(Membership.Join(OrganizationId, person.UserId, person.Email, role, DateTime.UtcNow));
        await db.SaveChangesAsync();
        return person;
    }

    public async Task<Guid> MembershipIdAsync(CreditsCustomer person)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>().Memberships
            .Where(m => m.AccountId == person.UserId).Select(m => m.Id).SingleAsync();
    }

    /// <summary>Allocates through the page, as the administrator does; "unlimited" or an amount.</summary>
    public async Task<HttpResponseMessage> AllocateAsync(string amount, params CreditsCustomer[] people)
    {
        var ids = new List<string>();
        foreach (var p in people)
        {
            ids.Add((await MembershipIdAsync(p)).ToString());
        }
        var path = OrganizationCreditsRoutes.Allocate + "?" + string.Join("&", ids.Select(id => $"ids={id}"));
        var fields = amount == "unlimited"
            ? new Dictionary<string, string> { ["Form.Kind"] = "Unlimited" }
            : new Dictionary<string, string> { ["Form.Kind"] = "Amount", ["Form.Amount"] = amount };
        return await Administrator.Client.SubmitAsync(path, fields);
    }

    internal async Task<T> InCredits<T>(Func<CloudCreditsDbContext, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CloudCreditsDbContext>());
    }

    internal async Task<T> InOrganizations<T>(Func<OrganizationsDbContext, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>());
    }

    public Task<decimal> PoolUsedAsync() => InCredits(async db => (await db.Grants.Where(g => g.CustomerId == Administrator.UserId).Select(g => g.Used).ToListAsync()).Sum());
}

/// <summary>The rendering service: the consumption API with a key (the development one unless told otherwise).</summary>
public sealed class RenderingService(PortalFactory factory, string? key = ServiceKeys.DevelopmentKey)
{
    public const string Api = ChaosModular.CloudCredits.Contracts.CloudCreditsRoutes.Api;

    private HttpClient Client()
    {
        var http = factory.CreatePortalClient();
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return http;
    }

    public Task<HttpResponseMessage> DebitAsync(string requestId, string account, decimal credits, string description = "Render job") =>
        Client().PostAsJsonAsync(new Uri(Api + "/debits", UriKind.Relative), new { requestId, account, credits, description });

    public Task<HttpResponseMessage> PostRawAsync(string path, string json) =>
        Client().PostAsync(new Uri(Api + path, UriKind.Relative), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> BalanceAsync(string account) =>
        Client().GetAsync(new Uri($"{Api}/balance?account={Uri.EscapeDataString(account)}", UriKind.Relative));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode} (expected {expected}): {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A problem's body, after checking its status and media type.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await JsonAsync(response, expected);
    }
}
