using ChaosModular.Licensing.Contracts;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// Organization › Products › Assign products › Via .csv: the file is read and each row reviewed (<see cref="AllocationCsv"/>);
/// the review page carries the rows to the confirm step, where they are reviewed again (people may have left, seats
/// been taken) and, only when every row is Ready, allocated all or nothing, one seat per row.
/// </summary>
internal sealed class AllocateFromCsv(OrganizationsDbContext db, OrganizationAdministrators administrators, AllocateLicenses allocate, TimeProvider clock)
{
    public sealed record ReviewedRow(AllocationCsvRow Row, AllocationRowState State, string? ProductName);

    public sealed record Review(AdministeredOrganization Organization, IReadOnlyList<ReviewedRow> Rows, string? Problem)
    {
        public bool AllReady => Problem is null && Rows.Count > 0 && Rows.All(r => r.State == AllocationRowState.Ready);
    }

    public sealed record Result(Review Review, AllocationOutcome? Outcome);

    public async Task<AdministeredOrganization?> OrganizationAsync(string administratorId, CancellationToken cancellationToken) =>
        await administrators.FindAsync(administratorId, cancellationToken);

    /// <summary>Null when the account administers no organization.</summary>
    public async Task<Review?> ReviewAsync(string administratorId, byte[] file, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return null;
        }
        var (rows, problem) = AllocationCsv.Read(file);
        if (problem is null && rows.Count == 0)
        {
            problem = "The file has no rows: fill in one email,product,expires row per seat under the header.";
        }
        return problem is not null ? new Review(organization, [], problem) : await ReviewRowsAsync(organization, rows, cancellationToken);
    }

    /// <summary>Null when the account administers no organization.</summary>
    public async Task<Result?> HandleAsync(string administratorId, IReadOnlyList<AllocationCsvRow> rows, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return null;
        }
        if (rows.Count is 0 or > AllocationCsv.MaxRows)
        {
            return new Result(new Review(organization, [], "Upload the file again: there is nothing to allocate."), null);
        }
        var review = await ReviewRowsAsync(organization, rows, cancellationToken);
        if (!review.AllReady)
        {
            return new Result(review, null);
        }
        var people = await PeopleAsync(organization, rows, cancellationToken);
        var products = await ProductsAsync(organization, cancellationToken);
        var lines = review.Rows.Select(r => new AllocationLine(people[r.Row.Email.Trim()].AccountId, people[r.Row.Email.Trim()].Email,
            AllocationCsv.ProductOf(r.Row.Product, products)!.Code, 1, r.Row.ExpiresOn!.Value)).ToList();
        return new Result(review, await allocate.AllocateAsync(organization, lines, cancellationToken));
    }

    private async Task<Review> ReviewRowsAsync(AdministeredOrganization organization, IReadOnlyList<AllocationCsvRow> rows, CancellationToken cancellationToken)
    {
        var people = await PeopleAsync(organization, rows, cancellationToken);
        var products = await ProductsAsync(organization, cancellationToken);
        var reviewed = AllocationCsv.Review(rows, people.ContainsKey, products, clock.Today());
        return new Review(organization, [.. reviewed.Select(r => new ReviewedRow(r.Row, r.State, AllocationCsv.ProductOf(r.Row.Product, products)?.Name))], null);
    }

    private async Task<List<AllocatableProduct>> ProductsAsync(AdministeredOrganization organization, CancellationToken cancellationToken) =>
        [.. (await allocate.ProductsAsync(organization, cancellationToken)).Select(p => new AllocatableProduct(p.Code, p.Name, p.LastDay))];

    /// <summary>The members and guests the rows name, by email (case-insensitive), in one query.</summary>
    private async Task<Dictionary<string, AllocateLicenses.Person>> PeopleAsync(AdministeredOrganization organization, IReadOnlyList<AllocationCsvRow> rows, CancellationToken cancellationToken)
    {
        var emails = rows.Select(r => r.Email.Trim().ToLowerInvariant()).Where(e => e.Length > 0).Distinct().ToList();
        // Translated to SQL lower(...) IN (...): the culture-aware overloads the analyzers ask for have no translation.
#pragma warning disable CA1304, CA1311, CA1862
        var people = await db.Memberships.AsNoTracking()
            .Where(m => m.OrganizationId == organization.Id && m.Role != OrganizationRole.Administrator && emails.Contains(m.Email.ToLower()))
            .Select(m => new AllocateLicenses.Person(m.Id, m.AccountId, m.Email, m.Role))
            .ToListAsync(cancellationToken);
#pragma warning restore CA1304, CA1311, CA1862
        return people.ToDictionary(p => p.Email, StringComparer.OrdinalIgnoreCase);
    }
}
