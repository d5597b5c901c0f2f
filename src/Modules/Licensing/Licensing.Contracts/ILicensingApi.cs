namespace ChaosModular.Licensing.Contracts;

/// <summary>What other modules may ask Licensing (Organizations allocates these licenses to its members).</summary>
public interface ILicensingApi
{
    /// <summary>The customer's licenses, active first, then by product.</summary>
    Task<IReadOnlyList<LicenseSummary>> LicensesAsync(string customerId, CancellationToken cancellationToken);

    /// <summary>The customer's licence keys by subscription id (only subscriptions whose license has a key).</summary>
    Task<IReadOnlyDictionary<Guid, LicenseKeyInfo>> LicenseKeysAsync(string customerId, CancellationToken cancellationToken);

    /// <summary>The licence keys of these subscriptions of the customer (a page of them), by subscription id.</summary>
    Task<IReadOnlyDictionary<Guid, LicenseKeyInfo>> LicenseKeysAsync(string customerId, IReadOnlyCollection<Guid> subscriptionIds, CancellationToken cancellationToken);
}

/// <param name="Key">Five groups of five characters, e.g. K7QXM-….</param>
/// <param name="ForVersionsBefore">The family's versions older than this one are activated with the key (e.g. 4.1).</param>
public sealed record LicenseKeyInfo(string Key, string ForVersionsBefore);

/// <param name="LicenseType">From the catalog: FloatingWorkstation, RenderNode or FixedSeat; null when the product has none.</param>
/// <param name="ExpiresOn">The last day the license may be used: the end of the subscription's paid period.</param>
public sealed record LicenseSummary(Guid LicenseId, Guid SubscriptionId, string ProductCode, string FamilyCode, string? LicenseType,
    int Quantity, int InUse, int Borrowed, int Available, DateOnly ExpiresOn, bool Active);
