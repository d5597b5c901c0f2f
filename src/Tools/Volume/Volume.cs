using ChaosModular.Modules.Abstractions;
using System.Globalization;
using ChaosModular.Accounts.Domain;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Licensing.Domain;
using ChaosModular.Subscriptions.Domain;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Volume;

/// <summary>What both profiles share: seeded ids and numbers, users, subscriptions and their licenses, batched inserts.</summary>
internal static class Volume
{
    /// <summary>Adds the rows in batches: AddRange, SaveChanges, then a cleared tracker, so memory stays flat at any size.</summary>
    public static async Task<int> InsertAsync<T>(DbContext db, IEnumerable<T> rows, int batchSize, CancellationToken cancellationToken)
        where T : class
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var count = 0;
        var batch = new List<T>(batchSize);
        foreach (var row in rows)
        {
            batch.Add(row);
            if (batch.Count == batchSize)
            {
                count += await FlushAsync(db, batch, cancellationToken);
            }
        }
        count += await FlushAsync(db, batch, cancellationToken);
        return count;
    }

    private static async Task<int> FlushAsync<T>(DbContext db, List<T> batch, CancellationToken cancellationToken)
        where T : class
    {
        if (batch.Count == 0)
        {
            return 0;
        }
        db.Set<T>().AddRange(batch);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var count = batch.Count;
        batch.Clear();
        return count;
    }

    public static Guid NextGuid(this Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>
    /// An account as registration makes one, without a password (nobody signs in as these people) and with a customer
    /// number drawn from the seeded random, unique against <paramref name="taken"/>.
    /// </summary>
    public static PortalUser User(Random random, HashSet<string> taken, string name, string email, string country, DateTime createdUtc)
    {
        string number;
        do
        {
            number = CustomerNumber.Generate(random);
        }
        while (!taken.Add(number));
        var upper = email.ToUpperInvariant();
        return new PortalUser
        {
            Id = random.NextGuid().ToString(),
            Name = name,
            Country = country,
            CustomerNumber = number,
            CreatedUtc = createdUtc,
            UserName = email,
            NormalizedUserName = upper,
            Email = email,
            NormalizedEmail = upper,
            EmailConfirmed = true,
            LockoutEnabled = true,
            SecurityStamp = random.NextGuid().ToString("N").ToUpperInvariant(),
            ConcurrencyStamp = random.NextGuid().ToString(),
        };
    }

    /// <summary>Started on <paramref name="activatedOn"/> and renewed every term up to today, as the seeders start the demo's.</summary>
    public static Subscription ActiveSubscription(Random random, string customerId, VolumePlan plan, string currency, decimal price, int seats,
        DateOnly activatedOn, bool autoRenew, DateOnly today, bool renewToday)
    {
        var subscription = Subscription.Start(random.NextGuid(), customerId, plan.Code, plan.ProductCode, plan.FamilyCode, plan.SubscriptionTerm,
            new Money(price, currency), seats, activatedOn);
        if (!autoRenew)
        {
            subscription.SetAutoRenew(false, activatedOn);
        }
        // Due today: renewed up to the renewal falling today, which the renewal job then takes.
        while (renewToday ? subscription.RenewsOn < today : subscription.RenewsOn <= today)
        {
            subscription.Renew();
        }
        return subscription;
    }

    /// <summary>Renewed while paid, then expired at the end of its last period (some time before today).</summary>
    public static Subscription ExpiredSubscription(Random random, string customerId, VolumePlan plan, string currency, decimal price, int seats,
        DateOnly activatedOn, DateOnly today)
    {
        var subscription = Subscription.Start(random.NextGuid(), customerId, plan.Code, plan.ProductCode, plan.FamilyCode, plan.SubscriptionTerm,
            new Money(price, currency), seats, activatedOn);
        subscription.SetAutoRenew(false, activatedOn);
        while (Subscription.RenewalAfter(subscription.ActivatedOn, subscription.RenewsOn, subscription.Term) <= today)
        {
            subscription.Renew();
        }
        subscription.Expire();
        return subscription;
    }

    /// <summary>The license Licensing keeps for a subscription (what FollowSubscription makes of it).</summary>
    public static License LicenseFor(Subscription subscription, VolumePlan plan, DateTime utcNow)
    {
        var license = License.For(subscription.Id, subscription.CustomerId, utcNow);
        var active = subscription.Status == SubscriptionStatus.Active;
        license.Follow(subscription.ProductCode, subscription.FamilyCode, plan.LicenseType, subscription.Seats,
            active ? subscription.RenewsOn.AddDays(-1) : subscription.ExpiredOn ?? subscription.RenewsOn.AddDays(-1), active, utcNow);
        if (plan.LicenseKeysBefore is not null)
        {
            license.GiveKey(LicenseKeyFormat.New(), plan.LicenseKeysBefore, utcNow);
        }
        return license;
    }

    /// <summary>Invoice numbers per year, continuing the counters already in the database (the demo's); saved by <see cref="SaveAsync"/>.</summary>
    public sealed class InvoiceNumbers
    {
        private readonly Dictionary<int, InvoiceNumberCounter> _counters;

        private InvoiceNumbers(Dictionary<int, InvoiceNumberCounter> counters) => _counters = counters;

        public static async Task<InvoiceNumbers> LoadAsync(BillingDbContext db, CancellationToken cancellationToken) =>
            new(await db.InvoiceNumbers.AsNoTracking().ToDictionaryAsync(c => c.Year, cancellationToken));

        public string Next(int year)
        {
            if (!_counters.TryGetValue(year, out var counter))
            {
                _counters[year] = counter = new InvoiceNumberCounter { Year = year, Last = 0 };
            }
            counter.Last++;
            return string.Create(CultureInfo.InvariantCulture, $"INV-{year}-{counter.Last:000000}");
        }

        public async Task SaveAsync(BillingDbContext db, CancellationToken cancellationToken)
        {
            db.ChangeTracker.Clear();
            var existing = await db.InvoiceNumbers.AsNoTracking().Select(c => c.Year).ToListAsync(cancellationToken);
            foreach (var counter in _counters.Values)
            {
                var (last, version) = (counter.Last, Guid.NewGuid());
                if (existing.Contains(counter.Year))
                {
                    // A set-based update: the generator's contexts track nothing, so changing a loaded counter would save nothing.
                    await db.InvoiceNumbers.Where(c => c.Year == counter.Year)
                        .ExecuteUpdateAsync(s => s.SetProperty(c => c.Last, last).SetProperty(c => c.Version, version), cancellationToken);
                }
                else
                {
                    db.InvoiceNumbers.Add(new InvoiceNumberCounter { Year = counter.Year, Last = last, Version = version });
                }
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }
}
