using System.Text.Json;
using ChaosModular.Licensing.Data;
using ChaosModular.Licensing.IntegrationEventHandlers;
using ChaosModular.Subscriptions.Contracts.Events;
using ChaosModular.Subscriptions.Data;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>A subscription that loses seats ends the server's newest lease, and the server hears it, once, at its next heartbeat.</summary>
public sealed class SeatsReducedHeartbeatTests(LicenseServerPortalFactory factory) : IClassFixture<LicenseServerPortalFactory>
{
    [Fact]
    public async Task The_server_is_told_at_its_next_heartbeat_which_lease_ended_because_seats_were_reduced()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: 3, plan: "vray-solo-annual");
        var server = await account.ActivateServerAsync();
        var kept = await server.LeasedAsync(licenseId, 2);
        factory.FakeClock.Advance(TimeSpan.FromSeconds(1));
        var cut = await server.LeasedAsync(licenseId, 1);

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var subscriptions = scope.ServiceProvider.GetRequiredService<SubscriptionsDbContext>();
            var subscriptionId = await scope.ServiceProvider.GetRequiredService<LicensingDbContext>().Licenses.Where(l => l.Id == licenseId).Select(l => l.SubscriptionId).SingleAsync();
            var subscription = await subscriptions.Subscriptions.SingleAsync(s => s.Id == subscriptionId);
            Assert.Null(subscription.ReduceSeatsAtRenewal(2));
            subscription.Renew();
            await subscriptions.SaveChangesAsync();
            await scope.ServiceProvider.GetRequiredService<LicenseFollowsSubscription>().HandleAsync(
                new SubscriptionRenewed(Guid.NewGuid(), DateTime.UtcNow, subscriptionId, account.UserId, subscription.RenewsOn, 2), CancellationToken.None);
        }

        using var first = JsonDocument.Parse(await (await server.HeartbeatAsync()).Content.ReadAsStringAsync());
        var ended = Assert.Single(first.RootElement.GetProperty("ended").EnumerateArray());
        Assert.Equal((cut, "SeatsReduced"), (ended.GetProperty("leaseId").GetGuid(), ended.GetProperty("reason").GetString()));
        Assert.Equal([kept], first.RootElement.GetProperty("leases").EnumerateArray().Select(l => l.GetProperty("leaseId").GetGuid()));

        using var second = JsonDocument.Parse(await (await server.HeartbeatAsync()).Content.ReadAsStringAsync());
        Assert.Empty(second.RootElement.GetProperty("ended").EnumerateArray());
        Assert.Equal((2, 2), ((await account.LicenseOfAsync(licenseId)).Quantity, (await account.LicenseOfAsync(licenseId)).InUse));
    }
}
