using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Licensing.Features;

/// <summary>A license's page: its numbers and where its seats are.</summary>
internal sealed class ShowLicense(LicensingDbContext db, ICatalogApi catalog)
{
    public sealed record Result(License License, string ProductName, string FamilyName);

    /// <summary>Null when the customer has no such license (another customer's is not found either).</summary>
    public async Task<Result?> HandleAsync(string customerId, Guid licenseId, CancellationToken cancellationToken)
    {
        var license = await db.Licenses.AsNoTracking().SingleOrDefaultAsync(l => l.Id == licenseId && l.CustomerId == customerId, cancellationToken);
        if (license is null)
        {
            return null;
        }
        var product = await catalog.ProductAsync(license.ProductCode, cancellationToken);
        return new Result(license, product?.Name ?? license.ProductCode, product?.FamilyName ?? license.FamilyCode);
    }
}
