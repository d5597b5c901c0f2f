using ChaosModular.Catalog.Data;
using ChaosModular.Catalog.Contracts;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Volume;

/// <summary>A plan on sale, with what Subscriptions and Licensing take from the catalog.</summary>
internal sealed record VolumePlan(string Code, string ProductCode, string ProductName, string FamilyCode, string? LicenseType,
    string? LicenseKeysBefore, BillingTerm Term, IReadOnlyList<(string Currency, decimal PricePerSeat)> Prices)
{
    public Subscriptions.Domain.Term SubscriptionTerm => Term == BillingTerm.Annual ? Subscriptions.Domain.Term.Annual : Subscriptions.Domain.Term.Monthly;

    public string LineDescription => $"{ProductName} {(Term == BillingTerm.Annual ? "annual" : "monthly")}";
}

/// <summary>The catalog's plans on sale (not retired, priced), in code order so a seed picks the same ones every run.</summary>
internal sealed class VolumeCatalog(CatalogDbContext db)
{
    public async Task<IReadOnlyList<VolumePlan>> PlansAsync(CancellationToken cancellationToken)
    {
        var families = await db.Families.AsNoTracking().ToDictionaryAsync(f => f.Code, cancellationToken);
        var products = await db.Products.AsNoTracking().Where(p => !p.Retired).ToDictionaryAsync(p => p.Code, cancellationToken);
        var plans = await db.Plans.AsNoTracking().Include(p => p.Prices).Where(p => !p.Retired).ToListAsync(cancellationToken);
        var result = plans
            .Where(p => products.ContainsKey(p.ProductCode) && p.Prices.Count > 0)
            .OrderBy(p => p.Code, StringComparer.Ordinal)
            .Select(p =>
            {
                var product = products[p.ProductCode];
                return new VolumePlan(p.Code, product.Code, product.Name, product.FamilyCode, product.LicenseType?.ToString(),
                    families.GetValueOrDefault(product.FamilyCode)?.LicenseKeysBefore, p.Term,
                    [.. p.Prices.OrderBy(x => x.Currency, StringComparer.Ordinal).Select(x => (x.Currency, x.PricePerSeat))]);
            })
            .ToList();
        return result.Count > 0 ? result : throw new InvalidOperationException("The catalog has no plan on sale: was it loaded?");
    }
}
