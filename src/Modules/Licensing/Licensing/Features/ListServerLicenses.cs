using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// <c>GET /api/license-servers/v1/licenses</c>: the licenses of the server's account that a server can lease from (active,
/// not expired, not fixed-seat), with how their seats are spread right now.
/// </summary>
internal sealed class ListServerLicenses(LicensingDbContext db, ICatalogApi catalog, TimeProvider clock)
{
    public sealed record ServerLicense(Guid LicenseId, string Product, string ProductName, string? Type, int Quantity, int InUse, int Borrowed, int Available, DateOnly ExpiresOn);

    public async Task<IReadOnlyList<ServerLicense>> HandleAsync(AuthenticatedServer server, CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var licenses = await db.Licenses.AsNoTracking()
            .Where(l => l.CustomerId == server.CustomerId && l.State == LicenseState.Active && l.ExpiresOn >= today && l.LicenseType != LeaseSeats.FixedSeat)
            .OrderBy(l => l.ProductCode).ThenByDescending(l => l.ExpiresOn).ThenBy(l => l.Id)
            .ToListAsync(cancellationToken);
        var names = await ProductNames.OfAsync(catalog, licenses.Select(l => l.ProductCode), cancellationToken);
        return licenses.Select(l => new ServerLicense(l.Id, l.ProductCode, names[l.ProductCode], l.LicenseType,
            l.Quantity, l.InUse, l.Borrowed, l.Availability.Available, l.ExpiresOn)).ToList();
    }
}
