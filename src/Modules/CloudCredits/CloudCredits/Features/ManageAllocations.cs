
namespace ChaosModular.CloudCredits.Features;

/// <summary>
/// What Organizations asks of an organization's pool: the pool with a page of allocations, and allocating, changing and
/// revoking (all or nothing, for one user or many). Who may do it is decided by Organizations before it calls.
/// </summary>
internal sealed class ManageAllocations(CloudCreditsDbContext db, PoolBalances pools, TimeProvider clock)
{
    /// <summary>Problems named in one message; the rest are counted.</summary>
    private const int ProblemsShown = 5;

    public async Task<OrganizationCreditPool> PoolAsync(Guid organizationId, string poolAccountId, int page, int pageSize, CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var grants = await db.Grants.AsNoTracking().Where(g => g.CustomerId == poolAccountId && g.ExpiresOn >= today)
            .Select(g => new { g.Id, g.Amount, g.Used, g.ExpiresOn, g.GrantedUtc }).ToListAsync(cancellationToken);
        var usable = DebitPlan.Usable(grants.Select(g => new PoolGrant(g.Id, g.Amount - g.Used, g.ExpiresOn, g.GrantedUtc)), today).ToList();

        var active = db.Allocations.AsNoTracking().Where(a => a.OrganizationId == organizationId && a.Active);
        // Decimals are summed here: SQLite keeps them as text and cannot sum or order them.
        var used = (await active.Select(a => a.Used).ToListAsync(cancellationToken)).Sum();
        var (number, size) = Paging.Normalize(page, pageSize);
        var rows = await active.OrderBy(a => a.AllocatedUtc).ThenBy(a => a.Id)
            .Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        var count = await active.CountAsync(cancellationToken);
        return new OrganizationCreditPool(
            DebitPlan.PoolAvailable(usable, today),
            grants.Sum(g => g.Used),
            usable.Count == 0 ? null : usable.Min(g => g.ExpiresOn),
            usable.Count == 0 ? null : usable.Max(g => g.ExpiresOn),
            used,
            new PagedResult<UserCreditAllocation>([.. rows.Select(PoolBalances.Summary)], number, size, count));
    }

    public async Task<IReadOnlyList<UserCreditAllocation>> AllocationsAsync(Guid organizationId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.Distinct().ToList();
        var rows = await db.Allocations.AsNoTracking().Where(a => a.OrganizationId == organizationId && a.Active && ids.Contains(a.UserId)).ToListAsync(cancellationToken);
        return [.. rows.Select(PoolBalances.Summary)];
    }

    public async Task<AllocationResult> AllocateAsync(Guid organizationId, string poolAccountId, IReadOnlyList<CreditRecipient> recipients, decimal? limit,
        CancellationToken cancellationToken)
    {
        if (limit is { } amount && CreditAmount.Problem(amount) is { } problem)
        {
            return new AllocationResult($"The amount {problem}.", []);
        }
        var people = recipients.DistinctBy(r => r.UserId).ToList();
        if (people.Count == 0)
        {
            return new AllocationResult("Choose at least one user.", []);
        }
        // Two administrators allocating to the same new user at once: the unique index lets one insert; the other reads it and changes it.
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var ids = people.Select(p => p.UserId).ToList();
            var existing = (await db.Allocations.Where(a => a.OrganizationId == organizationId && ids.Contains(a.UserId)).ToListAsync(cancellationToken))
                .ToDictionary(a => a.UserId, StringComparer.Ordinal);
            var pool = DebitPlan.PoolAvailable(await pools.GrantsAsync(poolAccountId, cancellationToken), clock.Today());

            var problems = new List<string>();
            foreach (var person in people)
            {
                var current = existing.GetValueOrDefault(person.UserId) is { Active: true } a ? a : null;
                var usedSoFar = current?.Used ?? 0m;
                if (limit is { } l && l < usedSoFar)
                {
                    problems.Add($"{person.Email} has already used {CreditUnits.Format(usedSoFar)} credits: allocate at least that, or revoke.");
                }
                else if (limit is { } m && m - usedSoFar > pool)
                {
                    problems.Add(current is null
                        ? $"{person.Email}: the pool has {CreditUnits.Format(pool)} credits available, fewer than {CreditUnits.Format(m)}; allocate at most that, or unlimited."
                        : $"{person.Email}: with {CreditUnits.Format(usedSoFar)} used, {CreditUnits.Format(m)} leaves {CreditUnits.Format(m - usedSoFar)} to spend, more than the pool's {CreditUnits.Format(pool)}.");
                }
            }
            if (problems.Count > 0)
            {
                var said = string.Join(" ", problems.Take(ProblemsShown));
                return new AllocationResult(problems.Count > ProblemsShown ? $"{said} And {problems.Count - ProblemsShown} more." : said, []);
            }

            var now = clock.UtcNow();
            var changes = new List<AllocationChange>();
            foreach (var person in people)
            {
                var row = existing.GetValueOrDefault(person.UserId);
                var before = row is { Active: true } ? new AllocationState(true, row.Limit) : AllocationState.None;
                if (row is null)
                {
                    db.Allocations.Add(CreditAllocation.Allocate(organizationId, poolAccountId, person.UserId, limit, now));
                }
                else
                {
                    row.SetLimit(limit, poolAccountId, now);
                }
                changes.Add(new AllocationChange(person.UserId, person.Email, before, new AllocationState(true, limit)));
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new AllocationResult(null, changes);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
            }
        }
    }

    public async Task<IReadOnlyList<AllocationChange>> RevokeAsync(Guid organizationId, IReadOnlyList<CreditRecipient> recipients, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var emails = recipients.DistinctBy(r => r.UserId).ToDictionary(r => r.UserId, r => r.Email, StringComparer.Ordinal);
        var ids = emails.Keys.ToList();
        var rows = await db.Allocations.Where(a => a.OrganizationId == organizationId && a.Active && ids.Contains(a.UserId)).ToListAsync(cancellationToken);
        var now = clock.UtcNow();
        var changes = new List<AllocationChange>();
        foreach (var row in rows)
        {
            changes.Add(new AllocationChange(row.UserId, emails[row.UserId], new AllocationState(true, row.Limit), AllocationState.None));
            row.End(now);
        }
        var ended = rows.Select(r => r.UserId).ToList();
        // A guest who drew on the organization goes back to their own credits.
        db.PoolChoices.RemoveRange(await db.PoolChoices.Where(c => ended.Contains(c.UserId)).ToListAsync(cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return changes;
    }

    /// <summary>The user left the organization: their allocation ends (unused credits stay in the pool). Safe to run twice.</summary>
    public async Task EndOnLeavingAsync(Guid organizationId, string userId, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        await db.Allocations.Where(a => a.OrganizationId == organizationId && a.UserId == userId && a.Active)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Active, false).SetProperty(a => a.EndedUtc, now).SetProperty(a => a.ChangedUtc, now), cancellationToken);
        await db.PoolChoices.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }
}
