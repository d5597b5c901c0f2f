using ChaosModular.Licensing.Data;
using ChaosModular.Licensing.Domain;
using ChaosModular.Licensing.Features;
using ChaosModular.Subscriptions.Data;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.Subscriptions;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>
/// Licence keys follow the family rule (the catalog's licenseKeysBefore), not the product's latest version: every
/// V-Ray subscription's license has one, whatever its latest version; no Chaos Vantage license has.
/// </summary>
public sealed class LicenseKeysTests(ProductsPortalFactory factory) : IClassFixture<ProductsPortalFactory>
{
    private static readonly DateOnly March1 = new(2026, 3, 1);

    private async Task Follow(Guid subscriptionId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<FollowSubscription>().HandleAsync(subscriptionId, CancellationToken.None);
    }

    private async Task<License> LicenseOf(Guid subscriptionId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LicensingDbContext>().Licenses.AsNoTracking().SingleAsync(l => l.SubscriptionId == subscriptionId);
    }

    private async Task GiveLegacyKey(Guid subscriptionId, string key)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SubscriptionsDbContext>();
        var subscription = await db.Subscriptions.SingleAsync(s => s.Id == subscriptionId);
        db.Entry(subscription).Property(s => s.LicenseKey).CurrentValue = key;
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_V_Ray_Solo_license_gets_a_well_formed_key_for_versions_older_than_4_1_though_its_latest_version_is_7_1()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 1, March1);

        await Follow(id);

        var license = await LicenseOf(id);
        Assert.True(LicenseKeyFormat.IsWellFormed(license.LicenseKey), license.LicenseKey);
        Assert.Equal("4.1", license.KeyForVersionsBefore);
    }

    [Fact]
    public async Task A_Chaos_Vantage_license_gets_no_key()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vantage-annual", "EUR", 1, March1);

        await Follow(id);

        var license = await LicenseOf(id);
        Assert.Null(license.LicenseKey);
        Assert.Null(license.KeyForVersionsBefore);
    }

    [Fact]
    public async Task A_key_Subscriptions_issued_before_is_kept_as_it_is()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-next-workstation-annual", "EUR", 1, March1);
        var legacy = $"LGCY{Guid.NewGuid():N}"[..5].ToUpperInvariant() + "-ABCDE-FGHJK-LMNPQ-RSTUV";   // no check character: kept anyway
        await GiveLegacyKey(id, legacy);

        await Follow(id);

        var license = await LicenseOf(id);
        Assert.Equal(legacy, license.LicenseKey);
        Assert.Equal("4.1", license.KeyForVersionsBefore);
    }

    [Fact]
    public async Task Following_again_keeps_the_same_key()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var id = await customer.GiveSubscriptionAsync("vray-solo-annual", "EUR", 2, March1);
        await Follow(id);
        var first = await LicenseOf(id);

        await Follow(id);
        // Even when a legacy key shows up later, the license keeps the key it has.
        await GiveLegacyKey(id, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ");
        await Follow(id);

        var again = await LicenseOf(id);
        Assert.Equal(first.LicenseKey, again.LicenseKey);
        Assert.Equal(first.Version, again.Version);
    }
}
