namespace ChaosModular.Licensing;

internal sealed class LicensingApi(LicensingDbContext db) : ILicensingApi
{
    public async Task<IReadOnlyList<LicenseSummary>> LicensesAsync(string customerId, CancellationToken cancellationToken)
    {
        var licenses = await db.Licenses.AsNoTracking().Where(l => l.CustomerId == customerId)
            .OrderBy(l => l.State).ThenBy(l => l.ProductCode).ToListAsync(cancellationToken);
        return licenses.Select(l => new LicenseSummary(l.Id, l.SubscriptionId, l.ProductCode, l.FamilyCode, l.LicenseType,
            l.Quantity, l.InUse, l.Borrowed, l.Availability.Available, l.ExpiresOn, l.State == LicenseState.Active)).ToList();
    }

    public async Task<IReadOnlyDictionary<Guid, LicenseKeyInfo>> LicenseKeysAsync(string customerId, CancellationToken cancellationToken) =>
        await db.Licenses.AsNoTracking().Where(l => l.CustomerId == customerId && l.LicenseKey != null)
            .ToDictionaryAsync(l => l.SubscriptionId, l => new LicenseKeyInfo(l.LicenseKey!, l.KeyForVersionsBefore ?? ""), cancellationToken);

    public async Task<IReadOnlyDictionary<Guid, LicenseKeyInfo>> LicenseKeysAsync(string customerId, IReadOnlyCollection<Guid> subscriptionIds,
        CancellationToken cancellationToken) =>
        await db.Licenses.AsNoTracking().Where(l => l.CustomerId == customerId && l.LicenseKey != null && subscriptionIds.Contains(l.SubscriptionId))
            .ToDictionaryAsync(l => l.SubscriptionId, l => new LicenseKeyInfo(l.LicenseKey!, l.KeyForVersionsBefore ?? ""), cancellationToken);
}
