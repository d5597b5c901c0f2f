using ChaosModular.Licensing.Data;
using ChaosModular.Licensing.Domain;
using ChaosModular.Licensing.Features;
using ChaosModular.Licensing.IntegrationEventHandlers;
using ChaosModular.Licensing.Jobs;
using ChaosModular.Subscriptions.Contracts.Events;
using ChaosModular.Subscriptions.Data;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.Subscriptions;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>
/// Allocated seats on a license: counted by every seat check, ended newest first when the license loses seats (after
/// online leases), all ended when it expires, and ended by the lapse job at their expiration date.
/// </summary>
public sealed class AllocationSeatsTests(ProductsPortalFactory factory) : IClassFixture<ProductsPortalFactory>
{
    private static readonly DateOnly March1 = new(2026, 3, 1);
    private static readonly DateTime Now = new(2026, 7, 2, 10, 0, 0, DateTimeKind.Utc);

    private async Task<T> InScope<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    private async Task<(BillingCustomer Customer, Guid SubscriptionId, License License)> LicenseWithSeats(int seats)
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", seats, March1);
        await InScope(async sp =>
        {
            await sp.GetRequiredService<LicenseFollowsSubscription>().HandleAsync(
                new SubscriptionCreated(Guid.NewGuid(), DateTime.UtcNow, id, customer.UserId, "vray-solo-annual", seats, new DateOnly(2027, 3, 1)), CancellationToken.None);
            return 0;
        });
        return (customer, id, await InScope(sp => sp.GetRequiredService<LicensingDbContext>().Licenses.AsNoTracking().SingleAsync(l => l.SubscriptionId == id)));
    }

    /// <summary>Seats allocated the way Licensing allocates them: the claim and the row in one transaction, at a chosen time.</summary>
    private Task<Guid> Allocate(License license, int seats, DateTime createdUtc, DateOnly? expiresOn = null) =>
        InScope(async sp =>
        {
            var db = sp.GetRequiredService<LicensingDbContext>();
            var ledger = sp.GetRequiredService<SeatLedger>();
            var allocation = Allocation.Give(license.Id, license.CustomerId, Guid.NewGuid(), $"user-{Guid.NewGuid():N}", seats, expiresOn ?? new DateOnly(2026, 12, 31), "admin", createdUtc);
            return await ledger.InTransactionAsync(async ct =>
            {
                Assert.True(await ledger.TryAllocateAsync(license.Id, seats, new DateOnly(2026, 7, 2), ct));
                db.Allocations.Add(allocation);
                await db.SaveChangesAsync(ct);
                return allocation.Id;
            }, CancellationToken.None);
        });

    private Task<Guid> Lease(License license, DateTime createdUtc) =>
        InScope(async sp =>
        {
            var db = sp.GetRequiredService<LicensingDbContext>();
            var ledger = sp.GetRequiredService<SeatLedger>();
            var server = LicenseServer.Activate(license.CustomerId, "srv-" + Guid.NewGuid().ToString("N")[..6], "Server",
                "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), ActivationMode.Online, createdUtc);
            db.Servers.Add(server);
            var lease = ChaosModular.Licensing.Domain.Lease.Take(license.Id, server.Id, license.CustomerId, 1, ActivationMode.Online, createdUtc, createdUtc.AddDays(1));
            return await ledger.InTransactionAsync(async ct =>
            {
                Assert.True(await ledger.TryTakeAsync(license.Id, 1, SeatUse.Lease, ct));
                db.Leases.Add(lease);
                await db.SaveChangesAsync(ct);
                return lease.Id;
            }, CancellationToken.None);
        });

    private Task<(License License, List<Allocation> Allocations, List<Lease> Leases)> State(Guid licenseId) =>
        InScope(async sp =>
        {
            var db = sp.GetRequiredService<LicensingDbContext>();
            return (await db.Licenses.AsNoTracking().SingleAsync(l => l.Id == licenseId),
                await db.Allocations.AsNoTracking().Where(a => a.LicenseId == licenseId).ToListAsync(),
                await db.Leases.AsNoTracking().Where(l => l.LicenseId == licenseId).ToListAsync());
        });

    private Task ChangeSubscription(Guid id, Action<ChaosModular.Subscriptions.Domain.Subscription> change) =>
        InScope(async sp =>
        {
            var db = sp.GetRequiredService<SubscriptionsDbContext>();
            change(await db.Subscriptions.SingleAsync(s => s.Id == id));
            return await db.SaveChangesAsync();
        });

    private Task Deliver(Func<LicenseFollowsSubscription, Task> handle) =>
        InScope(async sp =>
        {
            await handle(sp.GetRequiredService<LicenseFollowsSubscription>());
            return 0;
        });

    [Fact]
    public async Task Allocated_seats_are_not_free_for_leases_borrows_or_other_allocations()
    {
        var (_, _, license) = await LicenseWithSeats(3);
        await Allocate(license, 2, Now);
        await Lease(license, Now);

        var ledger = (Func<Func<SeatLedger, Task<bool>>, Task<bool>>)(take => InScope(sp => take(sp.GetRequiredService<SeatLedger>())));
        Assert.False(await ledger(l => l.TryTakeAsync(license.Id, 1, SeatUse.Lease, CancellationToken.None)));
        Assert.False(await ledger(l => l.TryTakeAsync(license.Id, 1, SeatUse.Borrow, CancellationToken.None)));
        Assert.False(await ledger(l => l.TryAllocateAsync(license.Id, 1, new DateOnly(2026, 7, 2), CancellationToken.None)));
        var (after, _, _) = await State(license.Id);
        Assert.Equal((1, 2, 0), (after.InUse, after.Allocated, after.Availability.Available));
    }

    [Fact]
    public async Task An_allocation_cannot_outlast_the_license()
    {
        var (_, _, license) = await LicenseWithSeats(3);

        var taken = await InScope(sp => sp.GetRequiredService<SeatLedger>().TryAllocateAsync(license.Id, 1, license.ExpiresOn.AddDays(1), CancellationToken.None));

        Assert.False(taken);
        Assert.Equal(0, (await State(license.Id)).License.Allocated);
    }

    [Fact]
    public async Task Fewer_seats_end_online_leases_then_the_newest_allocations_first()
    {
        var (customer, id, license) = await LicenseWithSeats(4);
        var older = await Allocate(license, 1, Now.AddMinutes(-3));
        var newer = await Allocate(license, 2, Now.AddMinutes(-2));
        var lease = await Lease(license, Now.AddMinutes(-1));

        await ChangeSubscription(id, s => Assert.Null(s.ReduceSeatsAtRenewal(2)));
        await ChangeSubscription(id, s => s.Renew());
        await Deliver(h => h.HandleAsync(new SubscriptionRenewed(Guid.NewGuid(), DateTime.UtcNow, id, customer.UserId, new DateOnly(2028, 3, 1), 2), CancellationToken.None));

        var (after, allocations, leases) = await State(license.Id);
        Assert.Equal((2, 0, 1, 1), (after.Quantity, after.InUse, after.Allocated, after.Availability.Available));
        Assert.Equal(SeatsEnded.SeatsReduced, leases.Single(l => l.Id == lease).EndReason);
        Assert.Equal(AllocationEnded.SeatsReduced, allocations.Single(a => a.Id == newer).EndReason);
        Assert.True(allocations.Single(a => a.Id == older).IsActive);
    }

    [Fact]
    public async Task An_expired_subscription_ends_every_allocation()
    {
        var (customer, id, license) = await LicenseWithSeats(3);
        await Allocate(license, 1, Now.AddMinutes(-2));
        await Allocate(license, 2, Now.AddMinutes(-1));

        await ChangeSubscription(id, s => s.Expire());
        await Deliver(h => h.HandleAsync(new SubscriptionExpired(Guid.NewGuid(), DateTime.UtcNow, id, customer.UserId), CancellationToken.None));
        await Deliver(h => h.HandleAsync(new SubscriptionExpired(Guid.NewGuid(), DateTime.UtcNow, id, customer.UserId), CancellationToken.None));

        var (after, allocations, _) = await State(license.Id);
        Assert.Equal((LicenseState.Expired, 0), (after.State, after.Allocated));
        Assert.All(allocations, a => Assert.Equal(AllocationEnded.LicenseExpired, a.EndReason));
    }

    [Fact]
    public async Task The_lapse_job_ends_allocations_after_their_expiration_date_and_frees_the_seats()
    {
        var (_, _, license) = await LicenseWithSeats(3);
        var lapsed = await Allocate(license, 2, Now.AddDays(-10), expiresOn: new DateOnly(2026, 7, 1));
        var lastDayToday = await Allocate(license, 1, Now.AddDays(-10), expiresOn: new DateOnly(2026, 7, 2));
        var holder = (await State(license.Id)).Allocations.Single(a => a.Id == lapsed).UserId;
        // Past its last day it is no longer shown to its holder, even before the job has run.
        Assert.Empty(await InScope(sp => sp.GetRequiredService<LicenseAllocations>().HeldByAsync(holder, CancellationToken.None)));

        await InScope(async sp =>
        {
            await sp.GetRequiredService<LapseJob>().RunAsync(CancellationToken.None);
            return 0;
        });

        var (after, allocations, _) = await State(license.Id);
        Assert.Equal((1, 2), (after.Allocated, after.Availability.Available));
        Assert.Equal(AllocationEnded.Expired, allocations.Single(a => a.Id == lapsed).EndReason);
        Assert.True(allocations.Single(a => a.Id == lastDayToday).IsActive);
    }
}
