using ChaosModular.Modules.Abstractions;
using ChaosModular.Accounts.Contracts;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.Subscriptions.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace ChaosModular.Subscriptions.Data;

/// <summary>
/// The demo customer's subscriptions (with <c>Seed:Demo</c>): annual and monthly in EUR and USD, one
/// renewing inside the 30-day window, upgradeable ones, a V-Ray Next licence key, and two expired.
/// Dates are relative to today so the demo always looks current.
/// </summary>
internal sealed class SubscriptionsSeeder(SubscriptionsDbContext db, IAccountsApi accounts, ICatalogApi catalog, IConfiguration configuration, TimeProvider clock)
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
        var demo = new (string Plan, string Currency, int Seats, DateOnly ActivatedOn, bool AutoRenew, bool Expired)[]
        {
            ("vray-premium-annual", "EUR", 3, today.AddYears(-1).AddDays(20), true, false),   // renews in 20 days: inside the 30-day window
            ("vray-solo-annual", "USD", 2, today.AddDays(-100), true, false),
            ("corona-solo-monthly", "EUR", 1, today.AddDays(-75), true, false),
            ("vray-next-workstation-annual", "EUR", 1, today.AddDays(-200), false, false),
            ("enscape-fixed-monthly", "USD", 2, today.AddDays(-40), true, false),
            ("phoenix-annual", "EUR", 1, today.AddYears(-1).AddDays(-40), false, true),
            ("vantage-annual", "USD", 1, today.AddYears(-1).AddDays(-20), false, true),
        };
        foreach (var d in demo)
        {
            var plan = await catalog.PlanAsync(d.Plan, cancellationToken) ?? throw new InvalidOperationException($"The catalog has no plan {d.Plan}.");
            var subscription = Subscription.Start(Guid.NewGuid(), customer.UserId, plan.Code, plan.Product.Code, plan.Product.FamilyCode, plan.Term.ToTerm(),
                plan.PriceIn(d.Currency)!.Value, d.Seats, d.ActivatedOn, plan.Product.LatestVersionUsesLicenseKey ? LicenseKeys.New() : null);
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
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
