using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ChaosModular.Accounts.Contracts;
using Microsoft.Extensions.Configuration;

namespace ChaosModular.Licensing.Data;

/// <summary>
/// The demo customer's license servers (with <c>Seed:Demo</c>), once: a studio server activated online leasing two
/// V-Ray Premium seats, a render farm activated by a request file holding a V-Ray Solo seat, and a Corona seat
/// borrowed by a laptop (both through the handlers a customer's upload and borrow use). Runs after <see cref="LicensingSeeder"/>
/// has given the demo subscriptions their licenses.
/// </summary>
internal sealed class LicensingDemoSeeder(LicensingDbContext db, SeatLedger ledger, ActivateFromFile activateFromFile, BorrowSeats borrowSeats,
    IAccountsApi accounts, IConfiguration configuration, TimeProvider clock) : IModuleSeeder
{
    /// <summary>
    /// The demo's online server never calls in, so its leases are given a day instead of the API's time to live
    /// (a real server's heartbeat renews its leases by the TTL); after that the lapse job ends them as it would.
    /// </summary>
    private static readonly TimeSpan DemoLeaseLife = TimeSpan.FromDays(1);

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>("Seed:Demo"))
        {
            return;
        }
        var customer = await accounts.FindCustomerByEmailAsync(configuration["Seed:DemoCustomerEmail"] ?? "demo@chaosmodular.local", cancellationToken);
        if (customer is null || await db.Servers.AnyAsync(s => s.CustomerId == customer.UserId, cancellationToken))
        {
            return;
        }
        var licenses = await db.Licenses.AsNoTracking().Where(l => l.CustomerId == customer.UserId && l.State == LicenseState.Active).ToListAsync(cancellationToken);
        var now = clock.UtcNow();

        if (licenses.FirstOrDefault(l => l.ProductCode == "vray-premium") is { } premium)
        {
            var studio = LicenseServer.Activate(customer.UserId, "studio-ls", "Studio license server", Fingerprint("studio-ls"), ActivationMode.Online, now.AddDays(-12));
            studio.Seen(now);
            studio.UseSecret(Convert.ToHexStringLower(SHA256.HashData(RandomNumberGenerator.GetBytes(32))));
            db.Servers.Add(studio);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var minutesAgo in new[] { 95, 20 })
            {
                await ledger.InTransactionAsync(async ct =>
                {
                    if (await ledger.TryTakeAsync(premium.Id, 1, SeatUse.Lease, ct))
                    {
                        db.Leases.Add(Lease.Take(premium.Id, studio.Id, customer.UserId, 1, ActivationMode.Online, now.AddMinutes(-minutesAgo), now + DemoLeaseLife));
                        await db.SaveChangesAsync(ct);
                    }
                    return 0;
                }, cancellationToken);
            }
        }

        if (licenses.Any(l => l.ProductCode == "vray-solo"))
        {
            var request = $$"""
                {"format":"{{ActivationRequestFile.Format}}","version":1,"serverId":"farm-01","serverName":"Render farm (offline)",
                 "hostFingerprint":"{{Fingerprint("farm-01")}}","createdAt":"{{now.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}}",
                 "nonce":"{{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16))}}","seats":[{"product":"vray-solo","seats":1}]}
                """;
            await using var file = new MemoryStream(Encoding.UTF8.GetBytes(request));
            var result = await activateFromFile.HandleAsync(customer.UserId, file, cancellationToken);
            if (result.Problem is not null)
            {
                throw new InvalidOperationException($"The demo's file activation was refused: {result.Problem}");
            }
        }

        if (licenses.FirstOrDefault(l => l.ProductCode == "corona-solo") is { } corona)
        {
            var borrowed = await borrowSeats.HandleAsync(customer.UserId, new BorrowSeats.Command(corona.Id, 1, "laptop-demo", clock.Today().AddDays(5)), cancellationToken);
            if (borrowed.BorrowId is null)
            {
                throw new InvalidOperationException($"The demo's borrow was refused: {string.Join(" ", borrowed.Problems.Values)}");
            }
        }
    }

    private static string Fingerprint(string host) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("chaosmodular-demo/" + host)));
}
