using System.Globalization;

namespace ChaosModular.Licensing.Domain;

/// <summary>A license of the organization's account as the plan sees it: its free seats and last day.</summary>
internal sealed record PoolLicense(Guid LicenseId, string ProductCode, string ProductName, int Free, DateOnly ExpiresOn);

/// <summary>Seats of a product for one user until a day, as an administrator asks for them.</summary>
internal sealed record AllocationWish(string UserId, string UserLabel, string ProductCode, int Seats, DateOnly ExpiresOn);

/// <summary>A product whose free seats do not cover what was asked of it.</summary>
internal sealed record Shortfall(string ProductCode, string ProductName, int Needed, int Free)
{
    public string Message => Needed > Free
        ? $"{ProductName}: {Needed - Free} more seat{(Needed - Free == 1 ? "" : "s")} needed, {Free} free."
        : $"{ProductName}: {Free} seats are free, but not on one license lasting until the dates asked. Allocate fewer seats per user or an earlier date.";
}

/// <summary>
/// Decides, before anything is written, whether a set of allocation requests fits the organization's free seats, and
/// on which license each goes. All or nothing: one problem or one product short and nothing is allocated, so an
/// administrator fixes the request and sends it again instead of chasing who got what.
/// <para>
/// An allocation lives on one license, which must last at least until its expiration date; of the licenses that do,
/// the one ending first is used, keeping the longer ones for the longer allocations. The expiration date is a day from
/// today to the latest last day of the product's licenses.
/// </para>
/// </summary>
internal sealed record AllocationPlan(IReadOnlyList<(AllocationWish Wish, Guid LicenseId)> Assignments, IReadOnlyList<string> Problems, IReadOnlyList<Shortfall> Shortfalls)
{
    public bool Fits => Problems.Count == 0 && Shortfalls.Count == 0;

    /// <summary>The seats the plan takes of each license, and the latest expiration date among them.</summary>
    public IReadOnlyList<(Guid LicenseId, int Seats, DateOnly LatestExpiresOn)> PerLicense =>
        [.. Assignments.GroupBy(a => a.LicenseId).Select(g => (g.Key, g.Sum(a => a.Wish.Seats), g.Max(a => a.Wish.ExpiresOn)))];

    public static AllocationPlan Make(IReadOnlyList<AllocationWish> wishes, IReadOnlyList<PoolLicense> pool, DateOnly today)
    {
        var problems = new List<string>();
        if (wishes.Count == 0)
        {
            problems.Add("Choose at least one user and one product.");
        }
        if (wishes.Any(w => w.Seats < 1))
        {
            problems.Add("The number of licenses must be at least 1.");
        }
        var past = wishes.Where(w => w.ExpiresOn < today).Select(w => w.ExpiresOn).ToList();
        if (past.Count > 0)
        {
            problems.Add($"The expiration date {Day(past.Min())} is in the past: choose today ({Day(today)}) or a later day.");
        }
        var products = pool.GroupBy(p => p.ProductCode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var code in wishes.Select(w => w.ProductCode).Distinct(StringComparer.Ordinal))
        {
            if (!products.TryGetValue(code, out var licenses))
            {
                problems.Add($"{code}: the organization has no active license of this product.");
                continue;
            }
            var last = licenses.Max(l => l.ExpiresOn);
            var latest = wishes.Where(w => w.ProductCode == code).Max(w => w.ExpiresOn);
            if (latest > last)
            {
                problems.Add($"{licenses[0].ProductName}: the expiration date {Day(latest)} is after the license's last day, {Day(last)}. Choose {Day(last)} or earlier.");
            }
        }
        if (problems.Count > 0)
        {
            return new AllocationPlan([], problems, []);
        }

        var free = pool.ToDictionary(p => p.LicenseId, p => Math.Max(0, p.Free));
        var assignments = new List<(AllocationWish, Guid)>();
        var shortOf = new HashSet<string>(StringComparer.Ordinal);
        foreach (var wish in wishes)
        {
            var license = products[wish.ProductCode]
                .Where(l => l.ExpiresOn >= wish.ExpiresOn && free[l.LicenseId] >= wish.Seats)
                .OrderBy(l => l.ExpiresOn).ThenBy(l => l.LicenseId)
                .FirstOrDefault();
            if (license is null)
            {
                shortOf.Add(wish.ProductCode);
                continue;
            }
            free[license.LicenseId] -= wish.Seats;
            assignments.Add((wish, license.LicenseId));
        }
        var shortfalls = shortOf.Order(StringComparer.Ordinal)
            .Select(code => new Shortfall(code, products[code][0].ProductName,
                wishes.Where(w => w.ProductCode == code).Sum(w => w.Seats),
                products[code].Sum(l => Math.Max(0, l.Free))))
            .ToList();
        return shortfalls.Count > 0 ? new AllocationPlan([], [], shortfalls) : new AllocationPlan(assignments, [], []);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
