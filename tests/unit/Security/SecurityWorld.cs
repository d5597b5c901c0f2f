using System.Net;
using System.Text.RegularExpressions;
using ChaosModular.Accounts.Contracts;
using ChaosModular.Accounts.Data;
using ChaosModular.Billing.Data;
using ChaosModular.Licensing.Data;
using ChaosModular.Organizations.Contracts;
using ChaosModular.Organizations.Data;
using ChaosModular.Organizations.Domain;
using ChaosModular.Subscriptions.Data;
using ChaosModular.Subscriptions.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace ChaosModular.UnitTests.Security;

/// <summary>Who asks. <see cref="Owner"/> owns every id the routes are filled with.</summary>
public enum Role
{
    Anonymous,
    Owner,
    OtherCustomer,
    Member,
    Guest,
    OrganizationAdministrator,
    Support,
}

/// <summary>One thing the app answers: a method and route pattern, and for a Razor page handler its name (<c>?handler=</c>).</summary>
public sealed record EndpointKey(string Method, string Pattern, string? Handler)
{
    public override string ToString() => Handler is null ? $"{Method} {Pattern}" : $"{Method} {Pattern}?handler={Handler}";
}

/// <summary>
/// The people of the security tests on one portal: the demo customer is the owner (subscriptions, licenses, license
/// servers, a borrow, invoices, a card, and the administrator of Demo Studio); another customer with data of their
/// own; Demo Studio's member; a guest and a second administrator joined to Demo Studio; the support desk. The ids
/// the routes take are the owner's (or Demo Studio's).
/// </summary>
public sealed partial class SecurityWorld
{
    private SecurityWorld(PortalFactory factory, IReadOnlyDictionary<Role, PortalClient> clients, IReadOnlyDictionary<string, string> concretePaths,
        IReadOnlyDictionary<string, Dictionary<string, string>> formIds)
    {
        Factory = factory;
        Clients = clients;
        ConcretePaths = concretePaths;
        FormIds = formIds;
    }

    public PortalFactory Factory { get; }

    public string OtherCustomerId { get; private init; } = "";

    public string OtherCustomerEmail { get; private init; } = "";

    public IReadOnlyDictionary<Role, PortalClient> Clients { get; }

    /// <summary>Each route pattern with parameters and the address that fills them with the owner's ids.</summary>
    public IReadOnlyDictionary<string, string> ConcretePaths { get; }

    /// <summary>
    /// Handlers that take the owner's id from the form rather than the route, and the owner's id for them (left out:
    /// those whose first success would change what the next role gets, such as cancelling an invitation).
    /// </summary>
    public IReadOnlyDictionary<string, Dictionary<string, string>> FormIds { get; }

    public string PathOf(string pattern) =>
        !pattern.Contains('{', StringComparison.Ordinal) ? pattern
        : ConcretePaths.TryGetValue(pattern, out var path) ? path
        : throw new InvalidOperationException($"The route {pattern} takes parameters: give it the owner's ids in SecurityWorld.ConcretePaths.");

    public static async Task<SecurityWorld> CreateAsync(PortalFactory factory)
    {
        var owner = await SignInAsync(factory, factory.DemoEmail, factory.DemoPassword);
        var support = await SignInAsync(factory, factory.SupportEmail, factory.SupportPassword);
        var member = await SignInAsync(factory, DemoPeople.MemberEmail, "DemoMember#2026");
        var (other, otherId, otherEmail) = await SignUpAsync(factory, "Other Customer");
        var (guest, guestId, guestEmail) = await SignUpAsync(factory, "Guest Person");
        var (administrator, administratorId, administratorEmail) = await SignUpAsync(factory, "Second Administrator");
        var (_, spareId, spareEmail) = await SignUpAsync(factory, "Spare Administrator");

        await using var scope = factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var ownerId = await services.GetRequiredService<AccountsDbContext>().Users.Where(u => u.Email == factory.DemoEmail).Select(u => u.Id).SingleAsync();

        var organizations = services.GetRequiredService<OrganizationsDbContext>();
        var studio = await organizations.Organizations.Where(o => o.Name == "Demo Studio").Select(o => o.Id).SingleAsync();
        organizations.Memberships.Add(Membership.Join(studio, guestId, guestEmail, OrganizationRole.Guest, DateTime.UtcNow));
        organizations.Memberships.Add(Membership.Join(studio, administratorId, administratorEmail, OrganizationRole.Administrator, DateTime.UtcNow));
        // Support's "remove administrator" acts on this one, so the people above keep their roles whatever is posted.
        var spare = Membership.Join(studio, spareId, spareEmail, OrganizationRole.Administrator, DateTime.UtcNow);
        organizations.Memberships.Add(spare);
        await organizations.SaveChangesAsync();
        var memberMembership = await organizations.Memberships.Where(m => m.OrganizationId == studio && m.Email == DemoPeople.MemberEmail).Select(m => m.Id).SingleAsync();
        var openInvitation = await organizations.Invitations.Where(i => i.OrganizationId == studio && i.Email == DemoPeople.Invited.Email).Select(i => i.Id).SingleAsync();
        var bulkInvite = await organizations.BulkInvites.Where(b => b.OrganizationId == studio).Select(b => b.Id).FirstAsync();

        var subscriptions = services.GetRequiredService<SubscriptionsDbContext>().Subscriptions.Where(s => s.CustomerId == ownerId);
        var upgradeable = await subscriptions.Where(s => s.PlanCode == "vray-solo-annual" && s.Status == SubscriptionStatus.Active).Select(s => s.Id).SingleAsync();
        var expired = await subscriptions.Where(s => s.Status == SubscriptionStatus.Expired).OrderBy(s => s.PlanCode).Select(s => s.Id).FirstAsync();
        // An order of the owner's (the demo seed places none): its status page is the owner's only.
        var subscriptionsDb = services.GetRequiredService<SubscriptionsDbContext>();
        var order = Order.Place(Guid.NewGuid(), ownerId, OrderKind.AddSeats, upgradeable, "vray-solo-annual", 1, "EUR", 470m, 120m, DateTime.UtcNow);
        subscriptionsDb.Orders.Add(order);
        await subscriptionsDb.SaveChangesAsync();

        var licensing = services.GetRequiredService<LicensingDbContext>();
        var license = await licensing.Licenses.Where(l => l.CustomerId == ownerId && l.ProductCode == "vray-solo").Select(l => l.Id).FirstAsync();
        var server = await licensing.Servers.Where(s => s.CustomerId == ownerId && s.ServerKey == "studio-ls").Select(s => s.Id).SingleAsync();
        var fileActivation = await licensing.FileActivations.Where(a => a.CustomerId == ownerId).Select(a => a.Id).FirstAsync();
        var borrow = await licensing.Borrows.Where(b => b.CustomerId == ownerId).Select(b => b.Id).FirstAsync();

        var card = await services.GetRequiredService<BillingDbContext>().PaymentMethods.Where(m => m.CustomerId == ownerId).Select(m => m.Id).FirstAsync();
        var invoice = await services.GetRequiredService<BillingDbContext>().Invoices.Where(i => i.CustomerId == ownerId).OrderBy(i => i.Number).Select(i => i.Id).FirstAsync();

        var clients = new Dictionary<Role, PortalClient>
        {
            [Role.Anonymous] = new(factory.CreatePortalClient()),
            [Role.Owner] = owner,
            [Role.OtherCustomer] = other,
            [Role.Member] = member,
            [Role.Guest] = guest,
            [Role.OrganizationAdministrator] = administrator,
            [Role.Support] = support,
        };
        var paths = new Dictionary<string, string>
        {
            ["/products/{id:guid}"] = $"/products/{upgradeable}",
            ["/products/downloads/{product}"] = "/products/downloads/vray-solo",
            ["/products/orders/{id:guid}"] = $"/products/orders/{order.Id}",
            ["/products/{id:guid}/add-seats"] = $"/products/{upgradeable}/add-seats",
            ["/products/{id:guid}/upgrade"] = $"/products/{upgradeable}/upgrade",
            ["/products/cart/{id:guid}"] = $"/products/cart/{expired}",
            ["/licensing/licenses/{id:guid}"] = $"/licensing/licenses/{license}",
            ["/licensing/servers/{id:guid}/deactivate"] = $"/licensing/servers/{server}/deactivate",
            ["/licensing/servers/activations/{id:guid}"] = $"/licensing/servers/activations/{fileActivation}",
            ["/licensing/servers/activations/{id:guid}/response"] = $"/licensing/servers/activations/{fileActivation}/response",
            ["/licensing/borrows/{id:guid}"] = $"/licensing/borrows/{borrow}",
            ["/licensing/borrows/{id:guid}/file"] = $"/licensing/borrows/{borrow}/file",
            ["/billing/invoices/{id:guid}/pdf"] = $"/billing/invoices/{invoice}/pdf",
            ["/organization/users/{membershipId:guid}/allocate"] = $"/organization/users/{memberMembership}/allocate",
            ["/organization/bulk-invites/{id:guid}"] = $"/organization/bulk-invites/{bulkInvite}",
            ["/organization/bulk-invites/{id:guid}/review"] = $"/organization/bulk-invites/{bulkInvite}/review",
            ["/organization/bulk-invites/{id:guid}/results.csv"] = $"/organization/bulk-invites/{bulkInvite}/results.csv",
            // Tokens are stored hashed: a made-up one is what a guesser has.
            ["/organization/invitations/{token}"] = "/organization/invitations/not-a-real-token",
            ["/support/organizations/{id:guid}"] = $"/support/organizations/{studio}",
            ["/support/organizations/{id:guid}/administrators/{membershipId:guid}/remove"] = $"/support/organizations/{studio}/administrators/{spare.Id}/remove",
            ["/error/{code:int?}"] = "/error/404",
            ["/openapi/{documentName}.json"] = "/openapi/license-servers-v1.json",
            ["/hangfire/{**path}"] = "/hangfire/",
            ["/api/license-servers/v1/leases/{leaseId:guid}"] = $"/api/license-servers/v1/leases/{Guid.NewGuid()}",
            ["/api/cloud-credits/v1/{**path}"] = "/api/cloud-credits/v1/no-such-call",
            ["/api/license-servers/v1/{**path}"] = "/api/license-servers/v1/no-such-call",
        };
        var formIds = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal)
        {
            ["POST /billing/payment-methods?handler=Default"] = new() { ["id"] = card.ToString() },
            // Not confirmed: the owner is sent to the confirmation (the demo card stays), anyone else gets 404.
            ["POST /billing/payment-methods?handler=Remove"] = new() { ["id"] = card.ToString() },
            ["POST /organization?handler=Resend"] = new() { ["invitationId"] = openInvitation.ToString() },
        };
        return new SecurityWorld(factory, clients, paths, formIds) { OtherCustomerId = otherId, OtherCustomerEmail = otherEmail };
    }

    private static async Task<PortalClient> SignInAsync(PortalFactory factory, string email, string password)
    {
        var client = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, password)).StatusCode);
        return client;
    }

    private static async Task<(PortalClient Client, string UserId, string Email)> SignUpAsync(PortalFactory factory, string name)
    {
        var email = $"sec-{Guid.NewGuid():N}@example.test";
        var client = new PortalClient(factory.CreatePortalClient());
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, email, "Security2026xx")).StatusCode);
        await using var scope = factory.Services.CreateAsyncScope();
        var userId = await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        return (client, userId, email);
    }

    /// <summary>
    /// Every endpoint the app routes to, read from its endpoint data source: each Razor page handler (the page's
    /// compiled handler methods), each minimal API with its methods, the dashboard, the probes.
    /// </summary>
    public static async Task<IReadOnlyList<EndpointKey>> EnumerateEndpointsAsync(PortalFactory factory)
    {
        var loader = factory.Services.GetRequiredService<PageLoader>();
        var keys = new List<EndpointKey>();
        foreach (var endpoint in factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<ISuppressMatchingMetadata>()?.SuppressMatching == true)
            {
                continue;
            }
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = page as CompiledPageActionDescriptor ?? await loader.LoadAsync(page, endpoint.Metadata);
                if (compiled.HandlerMethods.Count == 0)
                {
                    keys.Add(new EndpointKey("GET", pattern, null));
                }
                keys.AddRange(compiled.HandlerMethods.Select(h => new EndpointKey(h.HttpMethod.ToUpperInvariant(), pattern, h.Name)));
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if (methods is null || methods.Count == 0)
            {
                keys.Add(new EndpointKey("ANY", pattern, null));
                continue;
            }
            keys.AddRange(methods.Select(m => new EndpointKey(m, pattern, null)));
        }
        return [.. keys.Distinct().OrderBy(k => k.Pattern, StringComparer.Ordinal).ThenBy(k => k.Method, StringComparer.Ordinal).ThenBy(k => k.Handler, StringComparer.Ordinal)];
    }

    /// <summary>The address to request for a key: its path, plus <c>?handler=</c> for a named page handler.</summary>
    public string AddressOf(EndpointKey key)
    {
        var path = PathOf(key.Pattern);
        return key.Handler is null ? path : $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}handler={key.Handler}";
    }

    /// <summary>An antiforgery token for this client's user, from a page every signed-in user (or anyone, signed out) sees.</summary>
    public static async Task<string> TokenAsync(PortalClient client, Role role)
    {
        var html = await client.GetPageAsync(role == Role.Anonymous ? "/sign-in" : "/account");
        return TokenPattern().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("No antiforgery token.");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
