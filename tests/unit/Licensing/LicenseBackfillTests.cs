using ChaosModular.Licensing.Data;
using ChaosModular.Subscriptions.Contracts;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.Subscriptions;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>
/// Subscriptions that existed before Licensing (their events long delivered) get their licenses at start-up,
/// on every provider the paging runs on.
/// </summary>
public abstract class LicenseBackfillTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : PortalFactory
{
    [Fact]
    public async Task Start_up_gives_every_subscription_without_a_license_one_and_leaves_the_others()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var ids = new List<Guid>();
        foreach (var plan in new[] { "vray-solo-annual", "corona-solo-annual", "enscape-fixed-annual" })
        {
            ids.Add(await customer.GiveSubscriptionAsync(plan, "EUR", 2));   // no event: as if bought before Licensing existed
        }

        await Seed();
        await Seed();   // again, as the next start-up: nothing more

        await using var scope = factory.Services.CreateAsyncScope();
        var licenses = await scope.ServiceProvider.GetRequiredService<LicensingDbContext>().Licenses.AsNoTracking()
            .Where(l => l.CustomerId == customer.UserId).ToListAsync();
        Assert.Equal(ids.Order(), licenses.Select(l => l.SubscriptionId).Order());
        Assert.All(licenses, l => Assert.Equal(2, l.Quantity));
    }

    [Fact]
    public async Task Subscription_ids_page_in_a_stable_order_without_gaps_or_repeats()
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        for (var i = 0; i < 5; i++)
        {
            await customer.GiveSubscriptionAsync("vray-solo-monthly", "EUR");
        }
        await using var scope = factory.Services.CreateAsyncScope();
        var api = scope.ServiceProvider.GetRequiredService<ISubscriptionsApi>();
        var all = await api.SubscriptionIdsAsync(null, 10_000, CancellationToken.None);

        var paged = new List<Guid>();
        Guid? after = null;
        while (await api.SubscriptionIdsAsync(after, 2, CancellationToken.None) is { Count: > 0 } page)
        {
            paged.AddRange(page);
            after = page[^1];
        }

        Assert.Equal(all, paged);
        Assert.Equal(all.Count, paged.Distinct().Count());
    }

    private async Task Seed()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LicensingSeeder>().SeedAsync(CancellationToken.None);
    }
}

public sealed class SqliteLicenseBackfillTests(ProductsPortalFactory factory) : LicenseBackfillTests<ProductsPortalFactory>(factory);

public sealed class PostgresLicenseBackfillTests(PostgresPortalFactory factory) : LicenseBackfillTests<PostgresPortalFactory>(factory);
