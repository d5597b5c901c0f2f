using System.Globalization;
using ChaosModular.Licensing.Contracts;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// An administrator allocates the organization account's licenses to members and guests (one user, the ticked ones,
/// or the rows of a file): Licensing claims the seats all or nothing; after it answers, an audit line records who got
/// what. Only members and guests of the administrator's own organization can receive seats.
/// </summary>
internal sealed class AllocateLicenses(OrganizationsDbContext db, OrganizationAdministrators administrators, ILicenseAllocationsApi allocations,
    OrganizationAudit audit, TimeProvider clock)
{
    public const int MaxUsers = 500;

    public sealed record Person(Guid MembershipId, string AccountId, string Email, OrganizationRole Role);

    /// <summary>A product the organization can allocate: its free seats and the last day any of its licenses lasts.</summary>
    public sealed record Product(string Code, string Name, int Free, DateOnly LastDay);

    public sealed record Choices(AdministeredOrganization Organization, IReadOnlyList<Person> People, IReadOnlyList<Product> Products, DateOnly Today);

    /// <summary>The seats of each chosen product for every user, until the day.</summary>
    public sealed record Command(IReadOnlyCollection<Guid> MembershipIds, IReadOnlyDictionary<string, int> SeatsPerProduct, DateOnly? ExpiresOn);

    public sealed record Result(AllocationOutcome Outcome, IReadOnlyList<Person> People);

    /// <summary>
    /// What the allocation pages offer: the members and guests named (none named: none) and the allocatable products.
    /// Null when the account administers no organization, or names only people outside it.
    /// </summary>
    public async Task<Choices?> ChoicesAsync(string administratorId, IReadOnlyCollection<Guid> membershipIds, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return null;
        }
        var people = await PeopleAsync(organization, membershipIds, cancellationToken);
        if (membershipIds.Count > 0 && people.Count == 0)
        {
            return null;
        }
        return new Choices(organization, people, await ProductsAsync(organization, cancellationToken), clock.Today());
    }

    public async Task<IReadOnlyList<Product>> ProductsAsync(AdministeredOrganization organization, CancellationToken cancellationToken) =>
        [.. (await allocations.LicensesAsync(organization.AccountId, cancellationToken))
            .Where(l => l.Active && l.ExpiresOn >= clock.Today())
            .GroupBy(l => l.ProductCode, StringComparer.Ordinal)
            .Select(g => new Product(g.Key, g.First().ProductName, g.Sum(l => l.Available), g.Max(l => l.ExpiresOn)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)];

    /// <summary>Null when the account administers no organization or names nobody in it.</summary>
    public async Task<Result?> HandleAsync(string administratorId, Command command, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return null;
        }
        var people = await PeopleAsync(organization, command.MembershipIds, cancellationToken);
        if (people.Count == 0)
        {
            return null;
        }
        var chosen = command.SeatsPerProduct.Where(p => p.Value != 0).ToList();
        var problems = new List<string>();
        if (chosen.Count == 0)
        {
            problems.Add("Choose at least one product.");
        }
        if (command.ExpiresOn is null)
        {
            problems.Add("Choose the expiration date.");
        }
        if (problems.Count > 0)
        {
            return new Result(new AllocationOutcome([], problems, []), people);
        }
        var lines = people.SelectMany(p => chosen.Select(c => new AllocationLine(p.AccountId, p.Email, c.Key, c.Value, command.ExpiresOn!.Value))).ToList();
        return new Result(await AllocateAsync(organization, lines, cancellationToken), people);
    }

    /// <summary>Allocates the lines (users of this organization only: the caller resolved them) and records the audit line.</summary>
    public async Task<AllocationOutcome> AllocateAsync(AdministeredOrganization organization, IReadOnlyList<AllocationLine> lines, CancellationToken cancellationToken)
    {
        var outcome = await allocations.AllocateAsync(new AllocationRequest(organization.AccountId, organization.Id, audit.CurrentActor.AccountId, lines), cancellationToken);
        if (outcome.Succeeded)
        {
            audit.Record(organization.Id, AuditAction.LicenseAllocated, [.. lines.Select(l => l.UserLabel).Distinct(StringComparer.OrdinalIgnoreCase)],
                after: string.Join("; ", outcome.Allocated.GroupBy(a => (a.ProductName, a.Seats, a.ExpiresOn))
                    .Select(g => $"{g.Key.ProductName} ×{g.Key.Seats} until {Day(g.Key.ExpiresOn)} to {g.Count()} user(s)")));
            await db.SaveChangesAsync(cancellationToken);
        }
        return outcome;
    }

    /// <summary>Members and guests of the organization among the ids (administrators hold no allocations), by email.</summary>
    public async Task<IReadOnlyList<Person>> PeopleAsync(AdministeredOrganization organization, IReadOnlyCollection<Guid> membershipIds, CancellationToken cancellationToken)
    {
        var ids = membershipIds.Distinct().Take(MaxUsers).ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        return await db.Memberships.AsNoTracking()
            .Where(m => m.OrganizationId == organization.Id && ids.Contains(m.Id) && m.Role != OrganizationRole.Administrator)
            .OrderBy(m => m.Email)
            .Select(m => new Person(m.Id, m.AccountId, m.Email, m.Role))
            .ToListAsync(cancellationToken);
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
