using System.Text;
using ChaosModular.Licensing.Data;
using ChaosModular.Licensing.Domain;
using ChaosModular.Licensing.Features;
using ChaosModular.Licensing.IntegrationEventHandlers;
using ChaosModular.Subscriptions.Contracts.Events;
using ChaosModular.Tools.LicenseServer;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.Subscriptions;
using Microsoft.Extensions.Time.Testing;
using ClientRequest = ChaosModular.Tools.LicenseServer.ActivationRequest;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>
/// The portal and the reference client agree: a request the client writes is activated, and the response verifies
/// in the client with nothing but the published key set. All-or-nothing refusals name their problem.
/// </summary>
public sealed class FileActivationTests(DemoProductsPortalFactory factory) : IClassFixture<DemoProductsPortalFactory>
{
    private static readonly DateOnly March1 = new(2026, 3, 1);

    private async Task<BillingCustomer> CustomerWith(params (string Plan, int Seats)[] subscriptions)
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        foreach (var (plan, seats) in subscriptions)
        {
            var id = await customer.GiveSubscriptionAsync(plan, "EUR", seats, March1);
            await using var scope = factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<LicenseFollowsSubscription>()
                .HandleAsync(new SubscriptionCreated(Guid.NewGuid(), DateTime.UtcNow, id, customer.UserId, plan, seats, new DateOnly(2027, 3, 1)), CancellationToken.None);
        }
        return customer;
    }

    private ClientRequest Request(string fingerprint, params SeatRequest[] seats) =>
        ClientRequest.Create("farm-01", "Render farm 01", fingerprint, seats, factory.Clock!);

    private static string NewFingerprint() => HostFingerprint.Of(Guid.NewGuid().ToString(), "farm-01");

    private async Task<ActivateFromFile.Result> Upload(BillingCustomer customer, byte[] file)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ActivateFromFile>().HandleAsync(customer.UserId, new MemoryStream(file), CancellationToken.None);
    }

    private async Task<string> Response(BillingCustomer customer, Guid activationId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<FileActivationResponse>().HandleAsync(customer.UserId, activationId, CancellationToken.None))!.Content;
    }

    private async Task<(int InUse, int Servers, int Leases)> Held(BillingCustomer customer)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LicensingDbContext>();
        return (await db.Licenses.Where(l => l.CustomerId == customer.UserId).SumAsync(l => l.InUse),
            await db.Servers.CountAsync(s => s.CustomerId == customer.UserId && s.DeactivatedUtc == null),
            await db.Leases.CountAsync(l => l.CustomerId == customer.UserId && l.EndedUtc == null));
    }

    private async Task<KeySet> PublishedKeys()
    {
        var client = factory.CreatePortalClient();
        return KeySet.Parse(await client.GetStringAsync(new Uri("/.well-known/chaos-license-keys.json", UriKind.Relative)));
    }

    [Fact]
    public async Task A_request_from_the_reference_client_is_activated_and_its_response_verifies_in_the_client()
    {
        var customer = await CustomerWith(("vray-solo-annual", 3), ("corona-solo-annual", 2));
        var fingerprint = NewFingerprint();
        var request = Request(fingerprint, new SeatRequest("vray-solo", 2), new SeatRequest("corona-solo", 1));

        var result = await Upload(customer, request.ToUtf8Bytes());

        Assert.Null(result.Problem);
        var verified = new SignedFileVerifier(await PublishedKeys(), factory.Clock!).VerifyActivationResponse(await Response(customer, result.ActivationId!.Value), fingerprint, request.Nonce);
        Assert.True(verified.IsAccepted, verified.Reason);
        var response = verified.ActivationResponse!;
        Assert.Equal(("farm-01", 30), (response.ServerId, (response.ValidUntil - response.IssuedAt).Days));
        Assert.Equal([("corona-solo", 1), ("vray-solo", 2)], response.Licenses.Select(l => (l.Product, l.Seats)).Order().ToList());
        Assert.Equal((3, 1, 2), await Held(customer));
    }

    [Fact]
    public async Task A_replayed_request_an_over_ask_and_an_unknown_product_change_nothing()
    {
        var customer = await CustomerWith(("vray-solo-annual", 2));
        var first = Request(NewFingerprint(), new SeatRequest("vray-solo", 1));
        Assert.Null((await Upload(customer, first.ToUtf8Bytes())).Problem);
        var before = await Held(customer);

        Assert.Contains("already used", (await Upload(customer, first.ToUtf8Bytes())).Problem, StringComparison.Ordinal);
        Assert.Contains("only 1 of your 2 are free", (await Upload(customer, Request(NewFingerprint(), new SeatRequest("vray-solo", 2)).ToUtf8Bytes())).Problem, StringComparison.Ordinal);
        Assert.Contains("no active license", (await Upload(customer, Request(NewFingerprint(), new SeatRequest("vray-solo", 1), new SeatRequest("phoenix", 1)).ToUtf8Bytes())).Problem, StringComparison.Ordinal);

        Assert.Equal(before, await Held(customer));
    }

    [Fact]
    public async Task A_host_activated_by_one_account_is_refused_to_another()
    {
        var owner = await CustomerWith(("vray-solo-annual", 1));
        var other = await CustomerWith(("vray-solo-annual", 1));
        var fingerprint = NewFingerprint();
        Assert.Null((await Upload(owner, Request(fingerprint, new SeatRequest("vray-solo", 1)).ToUtf8Bytes())).Problem);

        var refused = await Upload(other, Request(fingerprint, new SeatRequest("vray-solo", 1)).ToUtf8Bytes());

        Assert.Contains("already activated by another account", refused.Problem, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0), await Held(other));
    }

    [Fact]
    public async Task A_new_request_from_the_same_host_replaces_what_it_held()
    {
        var customer = await CustomerWith(("vray-solo-annual", 3));
        var fingerprint = NewFingerprint();
        Assert.Null((await Upload(customer, Request(fingerprint, new SeatRequest("vray-solo", 2)).ToUtf8Bytes())).Problem);

        // 3 seats asked, 1 free: allowed because the host's own 2 come back first.
        Assert.Null((await Upload(customer, Request(fingerprint, new SeatRequest("vray-solo", 3)).ToUtf8Bytes())).Problem);

        Assert.Equal((3, 1, 1), await Held(customer));
    }

    [Fact]
    public async Task A_file_over_64_KB_is_refused_before_it_is_read_as_json()
    {
        var customer = await CustomerWith(("vray-solo-annual", 1));
        var padded = Encoding.UTF8.GetBytes(Request(NewFingerprint(), new SeatRequest("vray-solo", 1)).ToJson().Replace("{", "{" + new string(' ', 65 * 1024), StringComparison.Ordinal));

        Assert.Contains("larger than 64 KB", (await Upload(customer, padded)).Problem, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0), await Held(customer));
    }

    [Fact]
    public async Task The_demo_customer_has_a_server_online_one_by_file_and_a_borrow()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LicensingDbContext>();
        var demo = await db.Servers.Where(s => s.Name == "Studio license server").Select(s => s.CustomerId).SingleAsync();

        var servers = await db.Servers.Where(s => s.CustomerId == demo).ToListAsync();
        Assert.Equal([ActivationMode.Online, ActivationMode.OfflineFile], servers.OrderBy(s => s.Mode).Select(s => s.Mode));
        Assert.Equal(3, await db.Leases.Where(l => l.CustomerId == demo && l.EndedUtc == null).SumAsync(l => l.Seats));
        Assert.Equal(1, await db.Borrows.CountAsync(b => b.CustomerId == demo && b.EndedUtc == null));
        Assert.Equal(1, await db.FileActivations.CountAsync(a => a.CustomerId == demo));
    }
}
