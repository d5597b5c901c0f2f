using ChaosModular.Accounts.Contracts;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Licensing.Signing;
using Microsoft.Extensions.Options;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// Activates a license server from its uploaded request file: checks the file, takes the seats it asks for and
/// signs a response file the server verifies offline. All or nothing: a file with any problem, or asking for more
/// than is free, changes nothing and says what is wrong. Activating the same host again replaces what it held.
/// </summary>
internal sealed class ActivateFromFile(LicensingDbContext db, SeatLedger ledger, SigningKeyRing keys, IAccountsApi accounts, ICatalogApi catalog,
    IOptions<LicensingOptions> options, TimeProvider clock)
{
    public sealed record Result(Guid? ActivationId, string? Problem)
    {
        public static Result Refused(string problem) => new(null, problem);
    }

    public async Task<Result> HandleAsync(string customerId, Stream file, CancellationToken cancellationToken)
    {
        var files = options.Value.Files;
        var bytes = await ReadAtMostAsync(file, files.MaxRequestBytes, cancellationToken);
        if (bytes is null)
        {
            return Result.Refused(TooLarge(files.MaxRequestBytes));
        }
        var now = Truncate(clock.UtcNow());
        var (request, problem) = ActivationRequestFile.Parse(bytes, now, files.RequestMaxAgeDays);
        if (request is null)
        {
            return Result.Refused(problem!);
        }
        if (await db.Servers.AnyAsync(s => s.Fingerprint == request.HostFingerprint && s.CustomerId != customerId, cancellationToken))
        {
            return Result.Refused(AnotherAccount(request));
        }
        if (await db.FileActivations.AsNoTracking().Where(a => a.Nonce == request.Nonce).Select(a => (DateTime?)a.IssuedUtc).FirstOrDefaultAsync(cancellationToken) is { } used)
        {
            return Result.Refused(Replayed(used));
        }
        var account = await accounts.FindCustomerAsync(customerId, cancellationToken)
            ?? throw new InvalidOperationException("The signed-in customer has no account.");
        var today = clock.Today();
        var products = request.Seats.Select(s => s.Product).ToList();
        var licenses = await db.Licenses.AsNoTracking()
            .Where(l => l.CustomerId == customerId && l.State == LicenseState.Active && l.ExpiresOn >= today && products.Contains(l.ProductCode))
            .OrderByDescending(l => l.ExpiresOn).ThenBy(l => l.Id)
            .ToListAsync(cancellationToken);
        var names = new Dictionary<string, string>();
        foreach (var wanted in request.Seats)
        {
            var product = await catalog.ProductAsync(wanted.Product, cancellationToken);
            names[wanted.Product] = product?.Name ?? wanted.Product;
            var of = licenses.Where(l => l.ProductCode == wanted.Product).ToList();
            if (of.Count == 0)
            {
                return Result.Refused($"The server asks for {wanted.Product}, but your account has no active license of {(product?.Name ?? "that product")}.");
            }
            if (of.All(l => !l.CanBeServed))
            {
                return Result.Refused($"{names[wanted.Product]} is a {LicenseTypes.Label(of[0].LicenseType).ToLowerInvariant()} license: it is activated on the workstation, not served by a license server.");
            }
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var server = await db.Servers.SingleOrDefaultAsync(s => s.Fingerprint == request.HostFingerprint && s.CustomerId == customerId, cancellationToken);
        if (server is null)
        {
            server = LicenseServer.Activate(customerId, request.ServerId, request.ServerName, request.HostFingerprint, ActivationMode.OfflineFile, now);
            db.Servers.Add(server);
        }
        else
        {
            var held = await db.Leases.Where(l => l.ServerId == server.Id && l.EndedUtc == null).Select(l => l.Id).ToListAsync(cancellationToken);
            foreach (var leaseId in held)
            {
                await ledger.EndLeaseAsync(leaseId, SeatsEnded.Replaced, cancellationToken);
            }
            server.Reactivate(request.ServerId, request.ServerName, ActivationMode.OfflineFile, now);
        }

        var granted = new List<(License License, int Seats)>();
        foreach (var wanted in request.Seats)
        {
            var remaining = wanted.Seats;
            foreach (var license in licenses.Where(l => l.ProductCode == wanted.Product && l.CanBeServed))
            {
                var fresh = await db.Licenses.AsNoTracking().Where(l => l.Id == license.Id).Select(l => new { l.Quantity, l.InUse, l.Borrowed, l.Allocated }).SingleAsync(cancellationToken);
                var take = Math.Min(remaining, new Availability(fresh.Quantity, fresh.InUse, fresh.Borrowed, fresh.Allocated).Available);
                if (take > 0 && await ledger.TryTakeAsync(license.Id, take, SeatUse.Lease, cancellationToken))
                {
                    granted.Add((license, take));
                    remaining -= take;
                }
                if (remaining == 0)
                {
                    break;
                }
            }
            if (remaining > 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return Result.Refused(await NotEnoughAsync(customerId, wanted, names[wanted.Product], cancellationToken));
            }
        }

        var lastDay = granted.Min(g => g.License.ExpiresOn);
        var validUntil = Min(now.AddDays(files.ResponseValidDays), lastDay.ToDateTime(new TimeOnly(23, 59, 59), DateTimeKind.Utc));
        foreach (var (license, seats) in granted)
        {
            db.Leases.Add(Lease.Take(license.Id, server.Id, customerId, seats, ActivationMode.OfflineFile, now, validUntil));
        }
        var activation = FileActivation.For(server.Id, customerId, request.Nonce, request.CreatedAt, now, validUntil);
        var key = keys.Active;
        activation.Sign(key.Id, SignedFiles.Sign(SignedFiles.ActivationResponseFormat, new ActivationResponsePayload(
            account.CustomerNumber, activation.Id, request.ServerId, request.ServerName, request.HostFingerprint, request.Nonce, now, validUntil,
            [.. granted.GroupBy(g => g.License).Select(g => new ActivatedLicense(g.Key.Id, g.Key.ProductCode, names[g.Key.ProductCode], g.Key.LicenseType,
                g.Sum(x => x.Seats), g.Key.ExpiresOn))]), key));
        db.FileActivations.Add(activation);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A racing upload of the same file (nonce) or another account activating the same host (fingerprint) won.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return await db.FileActivations.AnyAsync(a => a.Nonce == request.Nonce, cancellationToken)
                ? Result.Refused(Replayed(now))
                : Result.Refused(AnotherAccount(request));
        }
        await transaction.CommitAsync(cancellationToken);
        return new Result(activation.Id, null);
    }

    private async Task<string> NotEnoughAsync(string customerId, RequestedSeats wanted, string name, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var today = clock.Today();
        var counts = await db.Licenses.AsNoTracking()
            .Where(l => l.CustomerId == customerId && l.ProductCode == wanted.Product && l.State == LicenseState.Active && l.ExpiresOn >= today)
            .Select(l => new { l.Quantity, l.InUse, l.Borrowed, l.Allocated }).ToListAsync(cancellationToken);
        var free = counts.Sum(c => new Availability(c.Quantity, c.InUse, c.Borrowed, c.Allocated).Available);
        return $"The server asks for {wanted.Seats} seat(s) of {name}, but only {free} of your {counts.Sum(c => c.Quantity)} are free "
            + $"({counts.Sum(c => c.InUse)} in use, {counts.Sum(c => c.Borrowed)} borrowed, {counts.Sum(c => c.Allocated)} allocated to your organization's users). Nothing was activated: free seats or ask for fewer.";
    }

    /// <summary>Also what the upload page says when it refuses a request body too large to read at all.</summary>
    public static string TooLarge(int maxRequestBytes) =>
        $"The file is larger than {maxRequestBytes / 1024} KB, so it is not an activation request file. Upload the file your license server wrote.";

    private static string AnotherAccount(ActivationRequest request) =>
        $"The host {LicenseServer.Short(request.HostFingerprint)} is already activated by another account. A license server serves one account; deactivate it there first.";

    private static string Replayed(DateTime used) =>
        $"This request file was already used on {used:yyyy-MM-dd HH:mm} UTC. Each request is accepted once: make a new request on the license server.";

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static DateTime Truncate(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    /// <summary>The stream's bytes, or null when it has more than <paramref name="max"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadAtMostAsync(Stream stream, int max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max)
            {
                return null;
            }
        }
        return buffer.ToArray();
    }
}

/// <summary>The signed response file of an activation, for download (the customer's own only).</summary>
internal sealed class FileActivationResponse(LicensingDbContext db)
{
    public sealed record Download(string FileName, string Content);

    public async Task<Download?> HandleAsync(string customerId, Guid activationId, CancellationToken cancellationToken)
    {
        var found = await db.FileActivations.AsNoTracking().Where(a => a.Id == activationId && a.CustomerId == customerId)
            .Join(db.Servers, a => a.ServerId, s => s.Id, (a, s) => new { a.Response, s.ServerKey, a.IssuedUtc })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : new Download($"activation-response-{found.ServerKey}-{found.IssuedUtc:yyyyMMddHHmm}.json", found.Response);
    }
}
