using System.Net;
using ChaosModular.Accounts.Data;
using ChaosModular.CloudCredits.Data;
using ChaosModular.CloudCredits.Domain;

namespace ChaosModular.UnitTests.CloudCredits;

/// <summary>A signed-in customer who can be given cloud credits, as an order or a plan would give them.</summary>
public sealed class CreditsCustomer
{
    private CreditsCustomer(PortalFactory factory, PortalClient client, string email, string userId)
    {
        Factory = factory;
        Client = client;
        Email = email;
        UserId = userId;
    }

    public const string Password = "CloudCredits2026";

    public PortalFactory Factory { get; }
    public PortalClient Client { get; }
    public string Email { get; }
    public string UserId { get; }

    public static async Task<CreditsCustomer> SignUpAsync(PortalFactory factory)
    {
        var email = $"credits-{Guid.NewGuid():N}@example.test";
        var client = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync("Render Artist", email, Password)).StatusCode);
        await using var scope = factory.Services.CreateAsyncScope();
        var userId = await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        return new CreditsCustomer(factory, client, email, userId);
    }

    public DateOnly Today => DateOnly.FromDateTime(Factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);

    /// <summary>Grants credits granted <paramref name="grantedDaysAgo"/> days ago, <paramref name="used"/> of them already rendered with.</summary>
    public async Task<Guid> GrantAsync(string description, decimal amount, DateOnly expiresOn, decimal used = 0m, int grantedDaysAgo = 10)
    {
        var granted = Today.AddDays(-grantedDaysAgo).ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc);
        var grant = CreditGrant.Grant(UserId, description, amount, granted, expiresOn);
        if (used > 0)
        {
            grant.Use(used, DateOnly.FromDateTime(granted));
        }
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloudCreditsDbContext>();
        db.Grants.Add(grant);
        await db.SaveChangesAsync();
        return grant.Id;
    }

    public async Task<string> CreditsPageAsync() => PortalClient.Decode(await Client.GetPageAsync("/products/cloud-credits"));
}
