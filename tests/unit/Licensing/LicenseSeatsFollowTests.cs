using ChaosModular.Licensing.Data;
using ChaosModular.Licensing.Domain;
using ChaosModular.Licensing.Features;
using ChaosModular.Licensing.IntegrationEventHandlers;
using ChaosModular.Subscriptions.Contracts.Events;
using ChaosModular.Subscriptions.Data;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.Subscriptions;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>
/// When a subscription loses seats or ends, what servers and borrows hold beyond the new quantity ends: online leases
/// at once (newest first; the server hears it at its next heartbeat), seats in offline files at their date.
/// </summary>
public sealed class LicenseSeatsFollowTests(ProductsPortalFactory factory) : IClassFixture<ProductsPortalFactory>
{
    private static readonly DateOnly March1 = new(2026, 3, 1);

    private async Task<T> InScope<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    private async Task<(BillingCustomer Customer, Guid SubscriptionId, License License)> LicenseWithSeats(int seats)
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", seats, March1);
        await Deliver(new SubscriptionCreated(Guid.NewGuid(), DateTime.UtcNow, id, customer.UserId, "vray-solo-annual", seats, new DateOnly(2027, 3, 1)));
        return (customer, id, await InScope(sp => sp.GetRequiredService<LicensingDbContext>().Licenses.AsNoTracking().SingleAsync(l => l.SubscriptionId == id)));
    }

    private Task Deliver(SubscriptionCreated e) => Handle(h => h.HandleAsync(e, CancellationToken.None));

    private Task Deliver(SubscriptionRenewed e) => Handle(h => h.HandleAsync(e, CancellationToken.None));

    private Task Deliver(SubscriptionSeatsChanged e) => Handle(h => h.HandleAsync(e, CancellationToken.None));

    private Task Deliver(SubscriptionExpired e) => Handle(h => h.HandleAsync(e, CancellationToken.None));

    private Task Handle(Func<LicenseFollowsSubscription, Task> handle) =>
        InScope(async sp =>
        {
            await handle(sp.GetRequiredService<LicenseFollowsSubscription>());
            return 0;
        });

    private Task ChangeSubscription(Guid id, Action<ChaosModular.Subscriptions.Domain.Subscription> change) =>
        InScope(async sp =>
        {
            var db = sp.GetRequiredService<SubscriptionsDbContext>();
            change(await db.Subscriptions.SingleAsync(s => s.Id == id));
            return await db.SaveChangesAsync();
        });

    /// <summary>Seats held the way the API and the upload take them: the count and the row in one transaction.</summary>
    private Task<Guid> Hold(License license, ActivationMode mode, int seats, DateTime createdUtc) =>
        InScope(async sp =>
        {
            var db = sp.GetRequiredService<LicensingDbContext>();
            var ledger = sp.GetRequiredService<SeatLedger>();
            var server = LicenseServer.Activate(license.CustomerId, "srv-" + Guid.NewGuid().ToString("N")[..6], "Server",
                "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), mode, createdUtc);
            db.Servers.Add(server);
            var lease = Lease.Take(license.Id, server.Id, license.CustomerId, seats, mode, createdUtc, createdUtc.AddDays(mode == ActivationMode.Online ? 0.01 : 30));
            return await ledger.InTransactionAsync(async ct =>
            {
                Assert.True(await ledger.TryTakeAsync(license.Id, seats, SeatUse.Lease, ct));
                db.Leases.Add(lease);
                await db.SaveChangesAsync(ct);
                return lease.Id;
            }, CancellationToken.None);
        });

    private Task<Guid> BorrowSeats(License license, int seats) =>
        InScope(async sp =>
        {
            var db = sp.GetRequiredService<LicensingDbContext>();
            var ledger = sp.GetRequiredService<SeatLedger>();
            var borrow = Borrow.Take(license.Id, license.CustomerId, seats, "laptop", DateTime.UtcNow, DateTime.UtcNow.AddDays(5));
            borrow.Sign("{}");
            return await ledger.InTransactionAsync(async ct =>
            {
                Assert.True(await ledger.TryTakeAsync(license.Id, seats, SeatUse.Borrow, ct));
                db.Borrows.Add(borrow);
                await db.SaveChangesAsync(ct);
                return borrow.Id;
            }, CancellationToken.None);
        });

    private Task<(License License, List<Lease> Leases, List<Borrow> Borrows)> State(Guid licenseId) =>
        InScope(async sp =>
        {
            var db = sp.GetRequiredService<LicensingDbContext>();
            return (await db.Licenses.AsNoTracking().SingleAsync(l => l.Id == licenseId),
                await db.Leases.AsNoTracking().Where(l => l.LicenseId == licenseId).ToListAsync(),
                await db.Borrows.AsNoTracking().Where(b => b.LicenseId == licenseId).ToListAsync());
        });

    [Fact]
    public async Task Fewer_seats_end_the_newest_online_leases_and_the_server_is_told()
    {
        var (customer, id, license) = await LicenseWithSeats(4);
        var older = await Hold(license, ActivationMode.Online, 1, DateTime.UtcNow.AddMinutes(-2));
        var newer = await Hold(license, ActivationMode.Online, 1, DateTime.UtcNow.AddMinutes(-1));
        var file = await Hold(license, ActivationMode.OfflineFile, 2, DateTime.UtcNow.AddMinutes(-3));

        await ChangeSubscription(id, s => Assert.Null(s.ReduceSeatsAtRenewal(3)));
        await ChangeSubscription(id, s => s.Renew());
        await Deliver(new SubscriptionRenewed(Guid.NewGuid(), DateTime.UtcNow, id, customer.UserId, new DateOnly(2028, 3, 1), 3));

        var (after, leases, _) = await State(license.Id);
        Assert.Equal((3, 3, 0), (after.Quantity, after.InUse, after.Availability.OverAllocated));
        var ended = Assert.Single(leases, l => !l.IsActive);
        Assert.Equal((newer, SeatsEnded.SeatsReduced, false), (ended.Id, ended.EndReason, ended.ServerTold));
        Assert.Contains(leases, l => l.Id == older && l.IsActive);
        Assert.Contains(leases, l => l.Id == file && l.IsActive && !l.EndsAtExpiry);
    }

    [Fact]
    public async Task A_batch_of_renewals_brings_every_license_in_step_and_trims_the_one_that_lost_seats()
    {
        var (customer, reduced, license) = await LicenseWithSeats(4);
        var older = await Hold(license, ActivationMode.Online, 2, DateTime.UtcNow.AddMinutes(-2));
        var newer = await Hold(license, ActivationMode.Online, 2, DateTime.UtcNow.AddMinutes(-1));
        var (_, plain, plainLicense) = await LicenseWithSeats(2);
        var (_, another, anotherLicense) = await LicenseWithSeats(1);
        await ChangeSubscription(reduced, s => Assert.Null(s.ReduceSeatsAtRenewal(2)));
        foreach (var id in new[] { reduced, plain, another })
        {
            await ChangeSubscription(id, s => s.Renew());
        }

        // A renewal run's events reach the handler as one batch.
        await Handle(h => h.HandleManyAsync(new[] { reduced, plain, another }
            .Select(id => new SubscriptionRenewed(Guid.NewGuid(), DateTime.UtcNow, id, customer.UserId, new DateOnly(2028, 3, 1), 0)).ToList(), CancellationToken.None));

        var renewedTo = await InScope(async sp => (await sp.GetRequiredService<ChaosModular.Subscriptions.Contracts.ISubscriptionsApi>()
            .SubscriptionsAsync([reduced, plain, another], CancellationToken.None)).ToDictionary(s => s.SubscriptionId, s => s.LastDay));
        Assert.True(renewedTo[plain] > plainLicense.ExpiresOn);
        var (after, leases, _) = await State(license.Id);
        Assert.Equal((2, 2, renewedTo[reduced]), (after.Quantity, after.InUse, after.ExpiresOn));
        Assert.Equal(newer, Assert.Single(leases, l => !l.IsActive).Id);
        Assert.Contains(leases, l => l.Id == older && l.IsActive);
        Assert.Equal((2, renewedTo[plain]), ((await State(plainLicense.Id)).License.Quantity, (await State(plainLicense.Id)).License.ExpiresOn));
        Assert.Equal((1, renewedTo[another]), ((await State(anotherLicense.Id)).License.Quantity, (await State(anotherLicense.Id)).License.ExpiresOn));
    }

    [Fact]
    public async Task Seats_in_offline_files_cannot_be_taken_back_so_they_are_marked_to_end_at_their_date()
    {
        var (customer, id, license) = await LicenseWithSeats(4);
        var online = await Hold(license, ActivationMode.Online, 1, DateTime.UtcNow.AddMinutes(-5));
        var file = await Hold(license, ActivationMode.OfflineFile, 1, DateTime.UtcNow.AddMinutes(-4));
        var borrow = await BorrowSeats(license, 2);

        await ChangeSubscription(id, s => Assert.Null(s.ReduceSeatsAtRenewal(1)));
        await ChangeSubscription(id, s => s.Renew());
        await Deliver(new SubscriptionRenewed(Guid.NewGuid(), DateTime.UtcNow, id, customer.UserId, new DateOnly(2028, 3, 1), 1));

        var (after, leases, borrows) = await State(license.Id);
        Assert.Equal(SeatsEnded.SeatsReduced, leases.Single(l => l.Id == online).EndReason);
        // 1 seat left, 3 still held offline: the newest offline holds (the borrow, then the file) end at their dates.
        Assert.Equal((1, 1, 2, 2), (after.Quantity, after.InUse, after.Borrowed, after.Availability.OverAllocated));
        Assert.True(borrows.Single(b => b.Id == borrow).EndsAtExpiry);
        Assert.True(leases.Single(l => l.Id == file).EndsAtExpiry);

        // Seats bought back: nothing has to end early any more.
        await ChangeSubscription(id, s => s.AddSeats(4));
        await Deliver(new SubscriptionSeatsChanged(Guid.NewGuid(), DateTime.UtcNow, id, customer.UserId, 5));
        var (_, leasesNow, borrowsNow) = await State(license.Id);
        Assert.False(borrowsNow.Single(b => b.Id == borrow).EndsAtExpiry);
        Assert.False(leasesNow.Single(l => l.Id == file).EndsAtExpiry);
    }

    [Fact]
    public async Task An_expired_subscription_ends_every_online_lease()
    {
        var (customer, id, license) = await LicenseWithSeats(3);
        await Hold(license, ActivationMode.Online, 1, DateTime.UtcNow.AddMinutes(-2));
        await Hold(license, ActivationMode.Online, 2, DateTime.UtcNow.AddMinutes(-1));

        await ChangeSubscription(id, s => s.Expire());
        await Deliver(new SubscriptionExpired(Guid.NewGuid(), DateTime.UtcNow, id, customer.UserId));
        await Deliver(new SubscriptionExpired(Guid.NewGuid(), DateTime.UtcNow, id, customer.UserId));   // redelivered: nothing more

        var (after, leases, _) = await State(license.Id);
        Assert.Equal((LicenseState.Expired, 0), (after.State, after.InUse));
        Assert.All(leases, l => Assert.Equal(SeatsEnded.LicenseExpired, l.EndReason));
    }

    [Fact]
    public async Task Taking_seats_stops_at_the_quantity_and_an_expired_license_gives_none()
    {
        var (customer, id, license) = await LicenseWithSeats(2);
        await BorrowSeats(license, 1);

        var taken = await InScope(sp => sp.GetRequiredService<SeatLedger>().TryTakeAsync(license.Id, 2, SeatUse.Lease, CancellationToken.None));
        var fits = await InScope(sp => sp.GetRequiredService<SeatLedger>().TryTakeAsync(license.Id, 1, SeatUse.Lease, CancellationToken.None));
        await ChangeSubscription(id, s => s.Expire());
        await Deliver(new SubscriptionExpired(Guid.NewGuid(), DateTime.UtcNow, id, customer.UserId));
        var afterExpiry = await InScope(sp => sp.GetRequiredService<SeatLedger>().TryTakeAsync(license.Id, 1, SeatUse.Borrow, CancellationToken.None));

        Assert.Equal((false, true, false), (taken, fits, afterExpiry));
    }
}
