using ChaosModular.Billing;
using Microsoft.Extensions.Options;
using ChaosModular.Modules.Abstractions;
using System.Security.Cryptography;
using System.Text;
using ChaosModular.Accounts.Contracts;
using ChaosModular.Accounts.Data;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Licensing.Data;
using ChaosModular.Licensing.Domain;
using ChaosModular.Licensing.Features;
using ChaosModular.Organizations.Contracts;
using ChaosModular.Organizations.Data;
using ChaosModular.Organizations.Domain;
using ChaosModular.Subscriptions.Data;
using ChaosModular.Subscriptions.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Volume;

/// <summary>
/// The <c>account</c> profile: the demo customer (made by the demo seed) gets years of history — subscriptions of
/// every family, plan and currency (some expired, some not renewing), their licenses with license servers, leases and
/// borrows, paid and open invoices with lines and payments, saved cards over time — and Demo Studio many users, some
/// holding a license seat.
/// </summary>
internal sealed class AccountVolume(
    AccountsDbContext accountsDb, SubscriptionsDbContext subscriptionsDb, LicensingDbContext licensingDb, BillingDbContext billingDb,
    OrganizationsDbContext organizationsDb, VolumeCatalog catalog, BorrowSeats borrowSeats, IAccountsApi accounts, IConfiguration configuration, IOptions<BillingOptions> billing,
    VatRates vatRates, TimeProvider clock, ILogger<AccountVolume> logger)
{
    private const int HistoryDays = 1_100;

    public async Task<VolumeReport> FillAsync(VolumeArguments arguments, CancellationToken cancellationToken)
    {
        var email = configuration["Seed:DemoCustomerEmail"] ?? "demo@chaosmodular.local";
        var customer = await accounts.FindCustomerByEmailAsync(email, cancellationToken)
            ?? throw new InvalidOperationException($"The demo customer {email} is missing: the account profile needs Seed:Demo.");
        var organization = await organizationsDb.Organizations.AsNoTracking()
            .SingleOrDefaultAsync(o => o.AccountId == customer.UserId && o.Name == OrganizationsSeeder.DemoOrganization, cancellationToken)
            ?? throw new InvalidOperationException($"The demo organization {OrganizationsSeeder.DemoOrganization} is missing.");
        var random = new Random(arguments.Seed);
        var plans = await catalog.PlansAsync(cancellationToken);
        var report = new VolumeReport();

        var subscriptions = Subscriptions(random, customer.UserId, plans, arguments.Subscriptions);
        report.Add("subscriptions", await Volume.InsertAsync(subscriptionsDb, subscriptions, arguments.BatchSize, cancellationToken));
        var byCode = plans.ToDictionary(p => p.Code, StringComparer.Ordinal);
        var now = clock.UtcNow();
        report.Add("licenses", await Volume.InsertAsync(licensingDb, subscriptions.Select(s => Volume.LicenseFor(s, byCode[s.PlanCode], now)),
            arguments.BatchSize, cancellationToken));
        logger.LogInformation("{Count} subscriptions and their licenses.", subscriptions.Count);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await ServeAndBorrowAsync(random, customer.UserId, arguments.ServedLicenses, report, cancellationToken);
        logger.LogInformation("License servers, leases and borrows: {Seconds:0.0} s.", watch.Elapsed.TotalSeconds);
        watch.Restart();
        var cards = await PaymentMethodsAsync(random, customer.UserId, arguments.PaymentMethods, report, cancellationToken);
        await InvoicesAsync(random, customer.UserId, plans, cards, arguments, report, cancellationToken);
        logger.LogInformation("Cards, invoices and payments: {Seconds:0.0} s.", watch.Elapsed.TotalSeconds);
        watch.Restart();
        await OrganizationUsersAsync(random, customer.UserId, organization.Id, arguments, report, cancellationToken);
        logger.LogInformation("Organization users and allocations: {Seconds:0.0} s.", watch.Elapsed.TotalSeconds);
        return report;
    }

    private List<Subscription> Subscriptions(Random random, string customerId, IReadOnlyList<VolumePlan> plans, int count)
    {
        var today = clock.Today();
        var result = new List<Subscription>(count);
        for (var i = 0; i < count; i++)
        {
            var plan = random.Pick(plans);
            var (currency, price) = random.Pick(plan.Prices);
            var seats = random.Next(100) < 80 ? 1 + random.Next(5) : 5 + random.Next(46);
            var expired = random.Next(100) < 15;
            result.Add(expired
                ? Volume.ExpiredSubscription(random, customerId, plan, currency, price, seats, today.AddDays(-random.Next(400, HistoryDays)), today)
                : Volume.ActiveSubscription(random, customerId, plan, currency, price, seats, today.AddDays(-random.Next(1, HistoryDays)),
                    autoRenew: random.Next(100) >= 10, today, renewToday: false));
        }
        return result;
    }

    /// <summary>
    /// License servers (online, and some activated by file) each leasing a seat of several licenses, and a seat of each
    /// floating license among them borrowed through the Borrow handler (which signs the borrow file).
    /// </summary>
    private async Task ServeAndBorrowAsync(Random random, string customerId, int served, VolumeReport report, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var today = clock.Today();
        licensingDb.ChangeTracker.Clear();
        licensingDb.ChangeTracker.AutoDetectChangesEnabled = true;
        var licenses = await licensingDb.Licenses
            .Where(l => l.CustomerId == customerId && l.State == LicenseState.Active && l.LicenseType != "FixedSeat" && l.Quantity - l.InUse - l.Borrowed - l.Allocated >= 2)
            .OrderBy(l => l.ExpiresOn).ThenBy(l => l.SubscriptionId)
            .Take(served)
            .ToListAsync(cancellationToken);
        var servers = Enumerable.Range(1, Math.Max(1, (licenses.Count + 9) / 10)).Select(n =>
        {
            var key = $"volume-ls-{n:000}";
            var mode = n % 4 == 0 ? ActivationMode.OfflineFile : ActivationMode.Online;
            var server = LicenseServer.Activate(customerId, key, $"Render node {n:000}", Fingerprint(key), mode, now.AddDays(-random.Next(1, 300)));
            server.Seen(now.AddMinutes(-random.Next(1, 600)));
            if (mode == ActivationMode.Online)
            {
                server.UseSecret(Convert.ToHexStringLower(SHA256.HashData(random.NextGuid().ToByteArray())));
            }
            return server;
        }).ToList();
        licensingDb.Servers.AddRange(servers);
        for (var i = 0; i < licenses.Count; i++)
        {
            var server = servers[i % servers.Count];
            licensingDb.Leases.Add(Lease.Take(licenses[i].Id, server.Id, customerId, 1, server.Mode, now.AddMinutes(-random.Next(1, 600)),
                server.Mode == ActivationMode.Online ? now.AddDays(1) : now.AddDays(30)));
            licensingDb.Entry(licenses[i]).Property(l => l.InUse).CurrentValue = licenses[i].InUse + 1;
        }
        await licensingDb.SaveChangesAsync(cancellationToken);
        licensingDb.ChangeTracker.Clear();
        report.Add("license servers", servers.Count);
        report.Add("leases", licenses.Count);

        var borrows = 0;
        foreach (var license in licenses.Where(l => l.CanBeBorrowed))
        {
            var result = await borrowSeats.HandleAsync(customerId,
                new BorrowSeats.Command(license.Id, 1, $"laptop-{borrows + 1:000}", today.AddDays(1 + random.Next(5))), cancellationToken);
            borrows += result.BorrowId is null ? 0 : 1;
        }
        report.Add("borrows", borrows);
    }

    private static string Fingerprint(string host) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("chaosmodular-volume/" + host)));

    /// <summary>Cards saved over the years (older ones expired); the demo's default card stays the default.</summary>
    private async Task<List<PaymentMethod>> PaymentMethodsAsync(Random random, string customerId, int count, VolumeReport report, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var brands = new[] { ("Visa", "4"), ("Mastercard", "5"), ("American Express", "3") };
        var cards = Enumerable.Range(0, count).Select(i =>
        {
            var added = now.AddDays(-HistoryDays + (long)i * HistoryDays / Math.Max(1, count));
            var (brand, _) = random.Pick(brands);
            // Any last four but the simulated gateway's declining ones (0002, 0341, 9995).
            var last4 = (1000 + random.Next(8000)).ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
            return PaymentMethod.Save(customerId, brand, last4, 1 + random.Next(12), added.Year + 3, $"sim_volume_{random.NextGuid():N}", false, added);
        }).ToList();
        report.Add("payment methods", await Volume.InsertAsync(billingDb, cards, cards.Count + 1, cancellationToken));
        var demoCards = await billingDb.PaymentMethods.AsNoTracking().Where(p => p.CustomerId == customerId).ToListAsync(cancellationToken);
        return demoCards;
    }

    /// <summary>
    /// Invoices over the years in the customer's currencies, one to four lines each: older ones paid (a payment each),
    /// a few left overdue, recent ones open. Numbered in issue order after the demo's.
    /// </summary>
    private async Task InvoicesAsync(Random random, string customerId, IReadOnlyList<VolumePlan> plans, List<PaymentMethod> cards,
        VolumeArguments arguments, VolumeReport report, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var profile = await billingDb.Profiles.AsNoTracking().SingleAsync(p => p.CustomerId == customerId, cancellationToken);
        var numbers = await Volume.InvoiceNumbers.LoadAsync(billingDb, cancellationToken);
        var currencies = plans.SelectMany(p => p.Prices.Select(x => x.Currency)).Distinct().Order(StringComparer.Ordinal).ToList();
        var issuedAt = Enumerable.Range(0, arguments.Invoices)
            .Select(_ => now.AddDays(-random.Next(0, HistoryDays)).AddMinutes(-random.Next(0, 24 * 60)))
            .Order()
            .ToList();
        var invoices = new List<Invoice>();
        var payments = new List<Payment>();
        foreach (var issued in issuedAt)
        {
            var currency = random.Pick(currencies);
            var priced = plans.Where(p => p.Prices.Any(x => x.Currency == currency)).ToList();
            var start = DateOnly.FromDateTime(issued);
            var lines = Enumerable.Range(0, 1 + random.Next(4)).Select(_ =>
            {
                var plan = random.Pick(priced);
                var price = plan.Prices.First(x => x.Currency == currency).PricePerSeat;
                var end = (plan.SubscriptionTerm == Term.Annual ? start.AddYears(1) : start.AddMonths(1)).AddDays(-1);
                return (plan.LineDescription, (decimal)(1 + random.Next(5)), price, (DateOnly?)start, (DateOnly?)end, (string?)null);
            }).ToList();
            var tax = TaxPolicy.For(vatRates, billing.Value.Seller.Country, profile.Country, profile.VatId, DateOnly.FromDateTime(issued));
            var invoice = Invoice.Issue(numbers.Next(issued.Year), customerId, currency, issued, billing.Value.PaymentTermDays, tax.RatePercent,
                profile.Snapshot(), lines);
            var age = (now - issued).TotalDays;
            var paid = age > 45 ? random.Next(100) < 97 : random.Next(100) < 40;
            if (paid && cards.Count > 0)
            {
                var paidOn = issued.AddDays(random.Next(0, 10));
                var card = random.Pick(cards);
                var payment = Payment.Start(random.NextGuid(), $"volume:{invoice.Number}", customerId, currency, invoice.Balance, 0m, card, paidOn,
                    automatic: true, $"Invoices {invoice.Number}");
                payment.Allocate(invoice.Id, invoice.Number, invoice.Balance);
                payment.Succeeded("sim_volume", paidOn);
                invoice.ApplyPayment(invoice.BalanceDue, paidOn);
                payments.Add(payment);
            }
            else if (invoice.DueUtc.AddDays(PaymentRetrySchedule.DaysAfterDue[^1]) < now)
            {
                // Its automatic attempts all failed (as the demo's overdue one): Overdue, waiting for a manual payment.
                foreach (var _ in PaymentRetrySchedule.DaysAfterDue)
                {
                    invoice.AutoPayFailed();
                }
            }
            invoices.Add(invoice);
        }
        report.Add("invoices", await Volume.InsertAsync(billingDb, invoices, arguments.BatchSize, cancellationToken));
        report.Add("invoice lines", invoices.Sum(i => i.Lines.Count));
        report.Add("payments", await Volume.InsertAsync(billingDb, payments, arguments.BatchSize, cancellationToken));
        await numbers.SaveAsync(billingDb, cancellationToken);
    }

    /// <summary>Accounts joined to Demo Studio as members (four in five) and guests; every tenth holds a license seat.</summary>
    private async Task OrganizationUsersAsync(Random random, string customerId, Guid organizationId, VolumeArguments arguments, VolumeReport report,
        CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var taken = (await accountsDb.Users.AsNoTracking().Select(u => u.CustomerNumber).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var users = Enumerable.Range(1, arguments.OrganizationUsers)
            .Select(n => Volume.User(random, taken, $"Studio Person {n:00000}", $"volume-studio-{n:00000}@example.test", random.Pick(Countries),
                now.AddDays(-random.Next(1, HistoryDays))))
            .ToList();
        report.Add("accounts", await Volume.InsertAsync(accountsDb, users, arguments.BatchSize, cancellationToken));
        var memberships = users.Select(u => Membership.Join(organizationId, u.Id, u.Email!, random.Next(100) < 80 ? OrganizationRole.Member : OrganizationRole.Guest,
            u.CreatedUtc.AddDays(random.Next(0, 30)))).ToList();
        report.Add("memberships", await Volume.InsertAsync(organizationsDb, memberships, arguments.BatchSize, cancellationToken));

        licensingDb.ChangeTracker.Clear();
        licensingDb.ChangeTracker.AutoDetectChangesEnabled = true;
        var pool = await licensingDb.Licenses
            .Where(l => l.CustomerId == customerId && l.State == LicenseState.Active && l.Quantity - l.InUse - l.Borrowed - l.Allocated > 0)
            .OrderBy(l => l.SubscriptionId)
            .ToListAsync(cancellationToken);
        var allocations = 0;
        var next = 0;
        for (var i = 0; i < users.Count && next < pool.Count; i += 10)
        {
            var license = pool[next];
            licensingDb.Allocations.Add(Allocation.Give(license.Id, customerId, organizationId, users[i].Id, 1, license.ExpiresOn, customerId, now));
            licensingDb.Entry(license).Property(l => l.Allocated).CurrentValue = license.Allocated + 1;
            allocations++;
            if (license.Availability.Available == 0)
            {
                next++;
            }
        }
        await licensingDb.SaveChangesAsync(cancellationToken);
        licensingDb.ChangeTracker.Clear();
        report.Add("license allocations", allocations);
    }

    private static readonly string[] Countries = ["DE", "NL", "BG", "FR", "GB", "US", "PL", "ES"];
}
