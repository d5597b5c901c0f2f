using System.Net;
using ChaosModular.Licensing.Data;
using ChaosModular.Licensing.Domain;
using ChaosModular.Licensing.Features;
using ChaosModular.Licensing.Jobs;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>Seats whose time is up come back: leases of silent servers, response files past their validity, borrows past their date.</summary>
public sealed class LapseJobTests(LicenseServerPortalFactory factory) : IClassFixture<LicenseServerPortalFactory>
{
    private DateTime Now => factory.FakeClock.GetUtcNow().UtcDateTime;

    private async Task RunJob()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LapseJob>().RunAsync(CancellationToken.None);
    }

    private async Task<EndLapsedSeats.Result> EndLapsed()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EndLapsedSeats>().HandleAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_silent_servers_leases_time_out_and_its_next_heartbeat_hears_it_once()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: 4);
        var silent = await account.ActivateServerAsync();
        var alive = await account.ActivateServerAsync();
        var lost = await silent.LeasedAsync(licenseId, seats: 3);
        var kept = await alive.LeasedAsync(licenseId);

        factory.FakeClock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(HttpStatusCode.OK, (await alive.HeartbeatAsync()).StatusCode);
        factory.FakeClock.Advance(TimeSpan.FromMinutes(5));   // 11 minutes since the silent server's lease, 5 since the other's heartbeat
        await EndLapsed();

        var leases = await factory.InLicensing(db => db.Leases.AsNoTracking().Where(l => l.LicenseId == licenseId).ToDictionaryAsync(l => l.Id));
        Assert.Equal(SeatsEnded.TimedOut, leases[lost].EndReason);
        Assert.True(leases[kept].IsActive);
        Assert.Equal(1, (await account.LicenseOfAsync(licenseId)).InUse);

        using (var first = await LicenseServerClient.Json(await silent.HeartbeatAsync()))
        {
            Assert.Empty(first.RootElement.GetProperty("leases").EnumerateArray());
            var ended = Assert.Single(first.RootElement.GetProperty("ended").EnumerateArray());
            Assert.Equal((lost, licenseId, "TimedOut"), (ended.GetProperty("leaseId").GetGuid(), ended.GetProperty("licenseId").GetGuid(), ended.GetProperty("reason").GetString()));
        }
        using (var second = await LicenseServerClient.Json(await silent.HeartbeatAsync()))
        {
            Assert.Empty(second.RootElement.GetProperty("ended").EnumerateArray());
        }
        Assert.Equal(HttpStatusCode.Created, (await silent.LeaseAsync(licenseId, seats: 3)).StatusCode);
    }

    [Fact]
    public async Task A_heartbeat_after_the_time_to_live_does_not_bring_a_lease_back()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: 1);
        var server = await account.ActivateServerAsync();
        var leaseId = await server.LeasedAsync(licenseId);

        factory.FakeClock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        using var beat = await LicenseServerClient.Json(await server.HeartbeatAsync());

        Assert.Empty(beat.RootElement.GetProperty("leases").EnumerateArray());
        Assert.Equal(leaseId, Assert.Single(beat.RootElement.GetProperty("ended").EnumerateArray()).GetProperty("leaseId").GetGuid());
        Assert.Equal(0, (await account.LicenseOfAsync(licenseId)).InUse);
    }

    [Fact]
    public async Task A_borrow_past_its_return_date_and_a_response_file_past_its_validity_lapse_once()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: 5);
        var borrowId = await TakeAsync(db =>
        {
            var borrow = Borrow.Take(licenseId, account.UserId, 2, "laptop-anna", Now, Now.AddDays(1));
            borrow.Sign("x");
            db.Borrows.Add(borrow);
            return (borrow.Id, SeatUse.Borrow, 2);
        });
        var fileLeaseId = await TakeAsync(db =>
        {
            var server = LicenseServer.Activate(account.UserId, "farm-file", "Offline farm", LicenseServerClient.NewFingerprint(), ActivationMode.OfflineFile, Now);
            db.Servers.Add(server);
            var lease = Lease.Take(licenseId, server.Id, account.UserId, 1, ActivationMode.OfflineFile, Now, Now.AddDays(30));
            db.Leases.Add(lease);
            return (lease.Id, SeatUse.Lease, 1);
        });
        var license = await account.LicenseOfAsync(licenseId);
        Assert.Equal((1, 2, 2), (license.InUse, license.Borrowed, license.Availability.Available));

        factory.FakeClock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await RunJob();

        license = await account.LicenseOfAsync(licenseId);
        Assert.Equal((1, 0), (license.InUse, license.Borrowed));
        Assert.Equal(SeatsEnded.Lapsed, (await factory.InLicensing(db => db.Borrows.AsNoTracking().SingleAsync(b => b.Id == borrowId))).EndReason);
        Assert.True((await factory.InLicensing(db => db.Leases.AsNoTracking().SingleAsync(l => l.Id == fileLeaseId))).IsActive);

        factory.FakeClock.Advance(TimeSpan.FromDays(30));
        await RunJob();
        await RunJob();   // again: nothing more is given back

        license = await account.LicenseOfAsync(licenseId);
        Assert.Equal((0, 0, 5), (license.InUse, license.Borrowed, license.Availability.Available));
        Assert.Equal(SeatsEnded.Lapsed, (await factory.InLicensing(db => db.Leases.AsNoTracking().SingleAsync(l => l.Id == fileLeaseId))).EndReason);
    }

    [Fact]
    public async Task Nothing_is_ended_before_its_time()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: 2);
        var server = await account.ActivateServerAsync();
        await server.LeasedAsync(licenseId, seats: 2);

        factory.FakeClock.Advance(TimeSpan.FromMinutes(9));
        await RunJob();

        Assert.Equal(2, (await account.LicenseOfAsync(licenseId)).InUse);
        using var beat = await LicenseServerClient.Json(await server.HeartbeatAsync());
        Assert.Single(beat.RootElement.GetProperty("leases").EnumerateArray());
    }

    /// <summary>Writes a borrow or file lease and takes its seats through the ledger, in one transaction, as the portal does.</summary>
    private async Task<Guid> TakeAsync(Func<LicensingDbContext, (Guid Id, SeatUse Use, int Seats)> add)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LicensingDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<SeatLedger>();
        return await ledger.InTransactionAsync(async ct =>
        {
            var (id, use, seats) = add(db);
            var licenseId = db.ChangeTracker.Entries<Borrow>().Select(e => e.Entity.LicenseId)
                .Concat(db.ChangeTracker.Entries<Lease>().Select(e => e.Entity.LicenseId)).First();
            Assert.True(await ledger.TryTakeAsync(licenseId, seats, use, ct));
            await db.SaveChangesAsync(ct);
            return id;
        }, CancellationToken.None);
    }
}
