using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;

namespace ChaosModular.UnitTests.Billing;

/// <summary>Calls Billing's API or reads its tables in a scope of their own, as a separate request or job would.</summary>
internal static class BillingScope
{
    public static async Task<T> WithApi<T>(PortalFactory factory, Func<IBillingApi, Task<T>> use)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<IBillingApi>());
    }

    public static async Task<T> InBilling<T>(PortalFactory factory, Func<BillingDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<BillingDbContext>());
    }

    public static Task<Invoice> Stored(PortalFactory factory, Guid id) =>
        InBilling(factory, db => db.Invoices.AsNoTracking().SingleAsync(i => i.Id == id));
}
