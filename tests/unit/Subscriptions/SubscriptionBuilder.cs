using ChaosModular.Modules.Abstractions;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Subscriptions.Data;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.Subscriptions.Features;
using ChaosModular.UnitTests.Billing;

namespace ChaosModular.UnitTests.Subscriptions;

/// <summary>Gives a test customer subscriptions as if they had bought them earlier (renewed every period up to today).</summary>
public static class SubscriptionBuilder
{
    /// <param name="activatedOn">Defaults to 30 days ago. A subscription renewing today is left due today.</param>
    public static async Task<Guid> GiveSubscriptionAsync(this BillingCustomer customer, string planCode, string currency = "EUR", int seats = 1,
        DateOnly? activatedOn = null, bool autoRenew = true, bool expired = false)
    {
        await using var scope = customer.Factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var plan = await services.GetRequiredService<ICatalogApi>().PlanAsync(planCode, CancellationToken.None) ?? throw new ArgumentException($"No plan {planCode}");
        var today = services.GetRequiredService<TimeProvider>().Today();
        var activated = activatedOn ?? today.AddDays(-30);
        var subscription = Subscription.Start(Guid.NewGuid(), customer.UserId, plan.Code, plan.Product.Code, plan.Product.FamilyCode, plan.Term.ToTerm(),
            plan.PriceIn(currency)!.Value, seats, activated);
        if (!autoRenew)
        {
            Assert.Null(subscription.SetAutoRenew(false, activated));
        }
        while (!expired && subscription.RenewsOn < today)
        {
            subscription.Renew();
        }
        if (expired)
        {
            subscription.Expire();
        }
        var db = services.GetRequiredService<SubscriptionsDbContext>();
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync();
        return subscription.Id;
    }

    internal static async Task<Subscription> SubscriptionAsync(this PortalFactory factory, Guid id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SubscriptionsDbContext>().Subscriptions.AsNoTracking().SingleAsync(s => s.Id == id);
    }

    internal static async Task<T> InSubscriptions<T>(this PortalFactory factory, Func<SubscriptionsDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<SubscriptionsDbContext>());
    }
}
