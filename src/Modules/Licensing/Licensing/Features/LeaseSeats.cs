using Microsoft.Extensions.Options;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// <c>POST /api/license-servers/v1/leases</c>: a server takes seats of one of its account's licenses, named by id or by
/// product (then the active licenses of that product are tried, the latest expiring first). The seats are counted by
/// the <see cref="SeatLedger"/>'s conditional update and the lease row is written in the same transaction, so racing
/// servers never get more seats than the license has. The lease lasts <c>Licensing:Api:LeaseTtlSeconds</c>,
/// renewed by heartbeats.
/// </summary>
internal sealed class LeaseSeats(LicensingDbContext db, SeatLedger ledger, TimeProvider clock, IOptions<LicensingOptions> options)
{
    /// <summary>Fixed-seat licenses are tied to one machine; servers do not hand them out.</summary>
    public const string FixedSeat = "FixedSeat";

    public const int MaxSeats = 1000;

    /// <param name="LicenseId">The license to lease from; or</param>
    /// <param name="Product">a product code: the account's licenses of it are tried, the latest expiring first.</param>
    /// <param name="Seats">1–1000; 1 when left out.</param>
    public sealed record LeaseRequest(Guid? LicenseId = null, string? Product = null, int? Seats = null);

    public static Dictionary<string, string[]> Validate(LeaseRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if ((request.LicenseId is null) == string.IsNullOrWhiteSpace(request.Product))
        {
            errors["licenseId"] = ["Give either licenseId or product."];
        }
        else if (request.Product is { Length: > 64 })
        {
            errors["product"] = ["product must be a product code of at most 64 characters."];
        }
        if (request.Seats is < 1 or > MaxSeats)
        {
            errors["seats"] = [$"seats must be 1–{MaxSeats}."];
        }
        return errors;
    }

    public async Task<ServerCallOutcome<ServerLease>> HandleAsync(AuthenticatedServer server, LeaseRequest request, CancellationToken cancellationToken)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return ServerCallOutcome<ServerLease>.Invalid(errors);
        }
        var seats = request.Seats ?? 1;
        var today = clock.Today();
        var owned = db.Licenses.AsNoTracking().Where(l => l.CustomerId == server.CustomerId);
        owned = request.LicenseId is { } licenseId ? owned.Where(l => l.Id == licenseId) : owned.Where(l => l.ProductCode == request.Product!.Trim());
        var licenses = await owned.Select(l => new { l.Id, l.ProductCode, l.LicenseType, l.State, l.ExpiresOn, l.Quantity, l.InUse, l.Borrowed })
            .ToListAsync(cancellationToken);
        var named = request.LicenseId is { } id ? $"license {id}" : $"product {request.Product!.Trim()}";
        if (licenses.Count == 0)
        {
            return ServerCallOutcome<ServerLease>.Refuse(Refusal.NotFound, $"Your account has no {named}.");
        }
        var leasable = licenses.Where(l => l.LicenseType != FixedSeat && l.State == LicenseState.Active && l.ExpiresOn >= today)
            .OrderByDescending(l => l.ExpiresOn).ThenBy(l => l.Id).ToList();
        if (leasable.Count == 0)
        {
            return ServerCallOutcome<ServerLease>.Refuse(Refusal.Conflict, licenses.All(l => l.LicenseType == FixedSeat)
                ? $"The {named} is fixed-seat: its seats are tied to machines, not leased by license servers."
                : $"The {named} has no active license: it has expired.");
        }

        foreach (var license in leasable)
        {
            if (await TryLeaseAsync(server, license.Id, seats, cancellationToken) is { } lease)
            {
                return ServerCallOutcome<ServerLease>.Done(ServerLease.Of(lease));
            }
        }
        var ids = leasable.Select(l => l.Id).ToList();
        var counts = await db.Licenses.AsNoTracking().Where(l => ids.Contains(l.Id)).Select(l => new { l.Quantity, l.InUse, l.Borrowed, l.Allocated }).ToListAsync(cancellationToken);
        var free = counts.Sum(l => new Availability(l.Quantity, l.InUse, l.Borrowed, l.Allocated).Available);
        return ServerCallOutcome<ServerLease>.Refuse(Refusal.Conflict,
            $"No seats free: {seats} seat(s) asked, the {named} has {free} free{(ids.Count > 1 ? " across its licenses (a lease is of one license)" : "")}.");
    }

    private Task<Lease?> TryLeaseAsync(AuthenticatedServer server, Guid licenseId, int seats, CancellationToken cancellationToken) =>
        ledger.InTransactionAsync(async ct =>
        {
            if (!await ledger.TryTakeAsync(licenseId, seats, SeatUse.Lease, ct))
            {
                return null;
            }
            var now = clock.UtcNow();
            var lease = Lease.Take(licenseId, server.Id, server.CustomerId, seats, ActivationMode.Online, now, now.AddSeconds(options.Value.Api.LeaseTtlSeconds));
            db.Leases.Add(lease);
            await db.SaveChangesAsync(ct);
            return lease;
        }, cancellationToken);
}
