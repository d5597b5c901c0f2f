using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Subscriptions.Contracts.Events;
using ChaosModular.Accounts.Contracts;
using ChaosModular.Catalog.Contracts;
using Microsoft.Extensions.Configuration;

namespace ChaosModular.Subscriptions.Data;

/// <summary>
/// A subscription to seed: activated on <paramref name="ActivatedOn"/> and renewed every term since (so an annual one
/// activated a year ago less 20 days renews in 20 days), unless <paramref name="Expired"/>.
/// </summary>
internal sealed record SubscriptionSeed(string Plan, string Currency, int Seats, DateOnly ActivatedOn, bool AutoRenew = true, bool Expired = false);

/// <summary>
/// The demo customer's subscriptions (with <c>Seed:Demo</c>): annual and monthly in EUR and USD, one
/// renewing inside the 30-day window, upgradeable ones, a V-Ray Next licence key, and two expired.
/// Dates are relative to today so the demo always looks current. <see cref="SeedCustomerAsync"/> gives any
/// customer their subscriptions (the end-to-end tests make one customer per journey).
/// </summary>
internal sealed class SubscriptionsSeeder(SubscriptionsDbContext db, IAccountsApi accounts, ICatalogApi catalog, IConfiguration configuration, TimeProvider clock) : IModuleSeeder
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>("Seed:Demo"))
        {
            return;
        }
        var customer = await accounts.FindCustomerByEmailAsync(configuration["Seed:DemoCustomerEmail"] ?? "demo@chaosmodular.local", cancellationToken);
        if (customer is null || await db.Subscriptions.AnyAsync(s => s.CustomerId == customer.UserId, cancellationToken))
        {
            return;
        }
        var today = clock.Today();
        await SeedCustomerAsync(customer.UserId,
        [
            new("vray-premium-annual", "EUR", 3, today.AddYears(-1).AddDays(20)),   // renews in 20 days: inside the 30-day window
            new("vray-solo-annual", "USD", 2, today.AddDays(-100)),
            new("corona-solo-monthly", "EUR", 1, today.AddDays(-75)),
            new("vray-next-workstation-annual", "EUR", 1, today.AddDays(-200), AutoRenew: false),
            new("enscape-fixed-monthly", "USD", 2, today.AddDays(-40)),
            new("phoenix-annual", "EUR", 1, today.AddYears(-1).AddDays(-40), AutoRenew: false, Expired: true),
            new("vantage-annual", "USD", 1, today.AddYears(-1).AddDays(-20), AutoRenew: false, Expired: true),
        ], cancellationToken);
    }

    /// <summary>Starts these subscriptions for the customer, at the catalog's prices.</summary>
    /// <returns>Their ids, in the order given.</returns>
    public async Task<IReadOnlyList<Guid>> SeedCustomerAsync(string customerId, IReadOnlyList<SubscriptionSeed> subscriptions, CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var ids = new List<Guid>();
        foreach (var d in subscriptions)
        {
            var plan = await catalog.PlanAsync(d.Plan, cancellationToken) ?? throw new InvalidOperationException($"The catalog has no plan {d.Plan}.");
            var price = plan.PriceIn(d.Currency) ?? throw new InvalidOperationException($"The plan {d.Plan} has no price in {d.Currency}.");
            var subscription = Subscription.Start(Guid.NewGuid(), customerId, plan.Code, plan.Product.Code, plan.Product.FamilyCode, plan.Term.ToTerm(),
                price, d.Seats, d.ActivatedOn);
            if (!d.AutoRenew)
            {
                subscription.SetAutoRenew(false, d.ActivatedOn);
            }
            while (!d.Expired && subscription.RenewsOn <= today)
            {
                subscription.Renew();
            }
            if (d.Expired)
            {
                subscription.Expire();
            }
            db.Subscriptions.Add(subscription);
            // Announced like a bought one, so the modules that follow subscriptions (Licensing) see it; they read its
            // state (expired or not) through ISubscriptionsApi. No SubscriptionExpired: that would email an expiry notice.
            db.Publish(new SubscriptionCreated(Guid.NewGuid(), clock.UtcNow(), subscription.Id, customerId, subscription.PlanCode, subscription.Seats, subscription.RenewsOn));
            ids.Add(subscription.Id);
        }
        await db.SaveChangesAsync(cancellationToken);
        return ids;
    }
}
