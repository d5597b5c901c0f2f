using ChaosModular.Billing;
using Microsoft.Extensions.Options;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Accounts.Data;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Licensing.Data;
using ChaosModular.Subscriptions.Data;
using ChaosModular.Subscriptions.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Volume;

/// <summary>
/// The <c>jobs</c> profile: customers with billing information and a default card (a share of them a card the
/// simulated gateway declines: 0002, 0341 or 9995), subscriptions of which a share renews today (some with
/// auto-renewal off) each with its license, and open invoices due today for automatic payment.
/// </summary>
internal sealed class JobsVolume(
    AccountsDbContext accountsDb, SubscriptionsDbContext subscriptionsDb, LicensingDbContext licensingDb, BillingDbContext billingDb,
    VolumeCatalog catalog, IOptions<BillingOptions> billing, VatRates vatRates, TimeProvider clock, ILogger<JobsVolume> logger)
{
    /// <summary>The simulated gateway's declining cards, by last four digits (see SimulatedGateway.ChargeAsync).</summary>
    public static readonly IReadOnlyList<string> DecliningLast4 = ["0002", "0341", "9995"];

    private static readonly (string Country, string City, string PostalCode)[] Places =
        [("DE", "Berlin", "10117"), ("NL", "Amsterdam", "1012"), ("BG", "Sofia", "1000"), ("FR", "Paris", "75001"), ("US", "Austin", "78701"), ("GB", "London", "EC1A")];

    /// <summary>
    /// A day <paramref name="terms"/> or more terms before today on today's day of the month, so that a renewal falls on
    /// today (renewals keep the activation day: one activated on 28 February renews on the 28th, never on the 31st).
    /// </summary>
    public static DateOnly WholeTermsAgo(DateOnly today, Term term, int terms)
    {
        while (true)
        {
            var day = term == Term.Annual ? today.AddYears(-terms) : today.AddMonths(-terms);
            if (day.Day == today.Day)
            {
                return day;
            }
            terms++;
        }
    }

    public async Task<VolumeReport> FillAsync(VolumeArguments arguments, CancellationToken cancellationToken)
    {
        var random = new Random(arguments.Seed);
        var plans = await catalog.PlansAsync(cancellationToken);
        var now = clock.UtcNow();
        var today = clock.Today();
        var report = new VolumeReport();

        var taken = (await accountsDb.Users.AsNoTracking().Select(u => u.CustomerNumber).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var customers = Enumerable.Range(1, arguments.Customers)
            .Select(n => (User: Volume.User(random, taken, $"Volume Customer {n:000000}", $"volume-customer-{n:000000}@example.test", "DE", now.AddDays(-random.Next(30, 1000))),
                Place: random.Pick(Places), Declines: random.Next(100) < arguments.DecliningPercent))
            .ToList();
        report.Add("accounts", await Volume.InsertAsync(accountsDb, customers.Select(c => c.User), arguments.BatchSize, cancellationToken));
        report.Add("billing profiles", await Volume.InsertAsync(billingDb, customers.Select(c =>
        {
            var profile = BillingProfile.Create(c.User.Id);
            profile.Update(c.User.Name, "Volume Street 1", null, c.Place.City, c.Place.PostalCode, c.Place.Country, c.User.Email!, null, c.User.CreatedUtc);
            return profile;
        }), arguments.BatchSize, cancellationToken));
        var declining = 0;
        report.Add("payment methods", await Volume.InsertAsync(billingDb, customers.Select(c =>
        {
            var last4 = c.Declines ? DecliningLast4[declining++ % DecliningLast4.Count] : "4242";
            return PaymentMethod.Save(c.User.Id, "Visa", last4, 12, today.Year + 2, $"sim_volume_{random.NextGuid():N}", true, c.User.CreatedUtc);
        }), arguments.BatchSize, cancellationToken));
        report.Add("declining default cards", customers.Count(c => c.Declines));
        logger.LogInformation("{Count} customers with billing information and a default card.", customers.Count);

        var byCode = plans.ToDictionary(p => p.Code, StringComparer.Ordinal);
        var due = 0;
        var drawnDue = 0;
        var autoRenewOff = 0;
        for (var offset = 0; offset < arguments.JobSubscriptions; offset += arguments.BatchSize)
        {
            var batch = Enumerable.Range(offset, Math.Min(arguments.BatchSize, arguments.JobSubscriptions - offset)).Select(i =>
            {
                var customer = customers[i % customers.Count].User;
                var plan = random.Pick(plans);
                var (currency, price) = random.Pick(plan.Prices);
                var renewsToday = random.Next(100) < arguments.DuePercent;
                drawnDue += renewsToday ? 1 : 0;
                var autoRenew = random.Next(100) >= arguments.AutoRenewOffPercent;
                // Due today: activated whole terms ago. Not due: activated lately, renewing after today.
                var activated = renewsToday ? WholeTermsAgo(today, plan.SubscriptionTerm, 1 + random.Next(plan.SubscriptionTerm == Term.Annual ? 3 : 24))
                    : today.AddDays(-random.Next(1, 28));
                var subscription = Volume.ActiveSubscription(random, customer.Id, plan, currency, price, 1 + random.Next(5), activated, autoRenew, today, renewToday: renewsToday);
                due += subscription.RenewsOn == today ? 1 : 0;
                autoRenewOff += subscription.AutoRenew ? 0 : 1;
                return subscription;
            }).ToList();
            await Volume.InsertAsync(subscriptionsDb, batch, arguments.BatchSize, cancellationToken);
            await Volume.InsertAsync(licensingDb, batch.Select(s => Volume.LicenseFor(s, byCode[s.PlanCode], now)), arguments.BatchSize, cancellationToken);
            report.Add("subscriptions", batch.Count);
            report.Add("licenses", batch.Count);
        }
        report.Add("subscriptions renewing today", due);
        if (due != drawnDue)
        {
            throw new InvalidOperationException($"{drawnDue} subscriptions were to renew today, but {due} do.");
        }
        report.Add("subscriptions auto-renew off", autoRenewOff);
        logger.LogInformation("{Count} subscriptions, {Due} renewing today.", arguments.JobSubscriptions, due);

        var numbers = await Volume.InvoiceNumbers.LoadAsync(billingDb, cancellationToken);
        var seller = billing.Value.Seller.Country;
        var issued = now.AddDays(-billing.Value.PaymentTermDays);
        var invoices = Enumerable.Range(0, arguments.OpenInvoices).Select(i =>
        {
            var (user, place, _) = customers[i % customers.Count];
            var plan = random.Pick(plans);
            var (currency, price) = random.Pick(plan.Prices);
            var start = DateOnly.FromDateTime(issued);
            var end = (plan.SubscriptionTerm == Term.Annual ? start.AddYears(1) : start.AddMonths(1)).AddDays(-1);
            var snapshot = new BillingSnapshot(user.Name, "Volume Street 1", null, place.City, place.PostalCode, place.Country, user.Email!, null);
            return Invoice.Issue(numbers.Next(issued.Year), user.Id, currency, issued, billing.Value.PaymentTermDays,
                TaxPolicy.For(vatRates, seller, place.Country, null, start).RatePercent, snapshot,
                [(plan.LineDescription, 1 + random.Next(3), price, start, end, null)], dueOn: today);
        });
        report.Add("open invoices due today", await Volume.InsertAsync(billingDb, invoices, arguments.BatchSize, cancellationToken));
        await numbers.SaveAsync(billingDb, cancellationToken);
        return report;
    }
}
