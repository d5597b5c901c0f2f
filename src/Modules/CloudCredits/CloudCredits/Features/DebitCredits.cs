using System.Globalization;

namespace ChaosModular.CloudCredits.Features;

/// <summary>
/// <c>POST /api/cloud-credits/v1/debits</c>: a service spends credits for a user from the user's active pool.
/// <para>
/// One transaction: the debit row first (a unique index on service and request id, so a replay, even a concurrent
/// one, finds the first debit and answers its result), then claims: the allocation's use goes up only while it stays
/// within the limit, and each grant's use only while it stays within the grant's amount (conditional UPDATEs that the
/// database re-checks on the row the last writer left, the claim pattern of <see cref="Claims"/>). A claim that loses
/// a race re-reads the grants and plans the rest again; when the pool cannot pay, the transaction is rolled back and
/// nothing changed. So concurrent debits never take a grant or an allocation past its amount.
/// </para>
/// </summary>
internal sealed class DebitCredits(CloudCreditsDbContext db, CreditUsers users, PoolBalances pools, TimeProvider clock)
{
    /// <summary>Enough for any realistic contention: each lost claim means another debit took credits meanwhile.</summary>
    private const int MaxRounds = 100;

    /// <param name="RequestId">The service's id of this debit, unique per service: resending it replays the first result.</param>
    /// <param name="Account">The user's id or email.</param>
    /// <param name="Credits">More than 0, at most 2 decimals.</param>
    /// <param name="Description">What the credits paid for (a render job), as the user reads it.</param>
    public sealed record DebitRequest(string? RequestId, string? Account, decimal? Credits, string? Description);

    /// <param name="Available">What the user can still spend from the same pool right after this debit.</param>
    public sealed record DebitResponse(Guid DebitId, string RequestId, string Account, string Pool, decimal Credits, string Description, DateTime DebitedAt, decimal Available);

    public static Dictionary<string, string[]> Validate(DebitRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var requestId = request.RequestId?.Trim();
        if (string.IsNullOrEmpty(requestId) || requestId.Length > CreditDebit.MaxRequestIdLength)
        {
            errors["requestId"] = [$"requestId is required: the service's id of this debit, at most {CreditDebit.MaxRequestIdLength} characters."];
        }
        var account = request.Account?.Trim();
        if (string.IsNullOrEmpty(account) || account.Length > CreditDebit.MaxAccountLength)
        {
            errors["account"] = ["account is required: the user's id or email."];
        }
        if (request.Credits is not { } credits)
        {
            errors["credits"] = ["credits is required."];
        }
        else if (CreditAmount.Problem(credits) is { } problem)
        {
            errors["credits"] = [$"credits {problem}."];
        }
        var description = request.Description?.Trim();
        if (string.IsNullOrEmpty(description) || description.Length > CreditDebit.MaxDescriptionLength)
        {
            errors["description"] = [$"description is required, at most {CreditDebit.MaxDescriptionLength} characters."];
        }
        return errors;
    }

    public async Task<CreditCallOutcome<DebitResponse>> HandleAsync(string service, DebitRequest request, CancellationToken cancellationToken)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return CreditCallOutcome<DebitResponse>.Invalid(errors);
        }
        var requestId = request.RequestId!.Trim();
        var account = Normalize(request.Account!);
        var credits = request.Credits!.Value;
        var description = request.Description!.Trim();

        if (await FindAsync(service, requestId, cancellationToken) is { } earlier)
        {
            return Replay(earlier, account, credits, description);
        }
        if (await users.FindAsync(account, cancellationToken) is not { } user)
        {
            return CreditCallOutcome<DebitResponse>.Refuse(CreditRefusal.UnknownAccount, $"No account has the id or email '{account}'.");
        }

        var today = clock.Today();
        var allocation = user.ActivePool == CreditPool.Organization
            ? await pools.AllocationAsync(user.OrganizationId!.Value, user.UserId, cancellationToken)
            : null;
        if (user.ActivePool == CreditPool.Organization && allocation is null)
        {
            return CreditCallOutcome<DebitResponse>.Refuse(CreditRefusal.InsufficientCredits,
                $"{user.Email} has no cloud credits allocated by {user.OrganizationName}: 0 credits available.", 0m);
        }

        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var debit = CreditDebit.Record(service, requestId, account, user.UserId, user.ActivePool, user.PoolAccountId, allocation?.Id, credits, description, clock.UtcNow());
        db.Debits.Add(debit);
        if (!await db.TryInsertOnceAsync(cancellationToken))
        {
            // The same request id is being or was debited by another call: its result is the answer.
            await transaction.RollbackAsync(cancellationToken);
            var first = await FindAsync(service, requestId, cancellationToken)
                ?? throw new InvalidOperationException($"Debit {service}/{requestId} collided with one that cannot be read.");
            return Replay(first, account, credits, description);
        }

        var takes = await ClaimAsync(user, allocation, credits, today, cancellationToken);
        if (takes is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var balance = await pools.BalanceAsync(user, cancellationToken);
            return CreditCallOutcome<DebitResponse>.Refuse(CreditRefusal.InsufficientCredits, Insufficient(user, credits, balance), balance.Available);
        }
        var after = await pools.BalanceAsync(user, cancellationToken);
        debit.Paid(takes, after.Available);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return CreditCallOutcome<DebitResponse>.Done(Response(debit));
    }

    /// <summary>The takes that paid, or null (the caller rolls back) when the allocation or the pool cannot pay.</summary>
    private async Task<List<GrantTake>?> ClaimAsync(CreditUser user, CreditAllocation? allocation, decimal credits, DateOnly today, CancellationToken cancellationToken)
    {
        if (allocation is not null)
        {
            var allocationId = allocation.Id;
            var claimed = await db.Allocations
                .Where(a => a.Id == allocationId && a.Active && (a.Limit == null || a.Used + credits <= a.Limit))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Used, a => a.Used + credits), cancellationToken);
            if (claimed != 1)
            {
                return null;
            }
        }
        var takes = new List<GrantTake>();
        var need = credits;
        for (var round = 0; need > 0m; round++)
        {
            if (round == MaxRounds)
            {
                throw new InvalidOperationException($"A debit of {credits} credits lost {MaxRounds} claims in a row.");
            }
            var plan = DebitPlan.Plan(await pools.GrantsAsync(user.PoolAccountId, cancellationToken), need, null, today);
            if (plan is null)
            {
                return null;
            }
            foreach (var take in plan)
            {
                var (grantId, amount) = (take.GrantId, take.Credits);
                var claimed = await db.Grants
                    .Where(g => g.Id == grantId && g.ExpiresOn >= today && g.Used + amount <= g.Amount)
                    .ExecuteUpdateAsync(s => s.SetProperty(g => g.Used, g => g.Used + amount), cancellationToken);
                if (claimed != 1)
                {
                    break;   // another debit took from this grant meanwhile: read again and plan what is still needed
                }
                takes.Add(take);
                need -= amount;
            }
        }
        return [.. takes.GroupBy(t => t.GrantId).Select(g => new GrantTake(g.Key, g.Sum(t => t.Credits)))];
    }

    private Task<CreditDebit?> FindAsync(string service, string requestId, CancellationToken cancellationToken) =>
        db.Debits.AsNoTracking().SingleOrDefaultAsync(d => d.Service == service && d.RequestId == requestId, cancellationToken);

    private static CreditCallOutcome<DebitResponse> Replay(CreditDebit earlier, string account, decimal credits, string description) =>
        earlier.SameContent(account, credits, description)
            ? CreditCallOutcome<DebitResponse>.Done(Response(earlier), replayed: true)
            : CreditCallOutcome<DebitResponse>.Refuse(CreditRefusal.RequestIdReused,
                $"requestId '{earlier.RequestId}' was already used for a debit of {Format(earlier.Credits)} credits from {earlier.Account} ('{earlier.Description}'); "
                + "a new debit needs a new requestId.");

    private static DebitResponse Response(CreditDebit d) =>
        new(d.Id, d.RequestId, d.UserId, PoolNames.Of(d.Pool), Plain(d.Credits), d.Description, d.AtUtc, Plain(d.AvailableAfter));

    /// <summary>Without the trailing zeros a column's scale adds (25.0000 is 25), so a replay reads like the first answer.</summary>
    private static decimal Plain(decimal value) => value / 1.0000000000000000000000000000m;

    private static string Insufficient(CreditUser user, decimal credits, PoolBalance balance)
    {
        var from = balance.Pool == CreditPool.Organization
            ? $"{user.Email}'s allocation from {user.OrganizationName}"
            : $"{user.Email}'s own credits";
        return $"Insufficient credits: {Format(credits)} asked, {Format(balance.Available)} available in {from}.";
    }

    private static string Format(decimal credits) => credits.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Emails are compared in lower case; ids as they are.</summary>
    public static string Normalize(string account)
    {
        var trimmed = account.Trim();
        return trimmed.Contains('@', StringComparison.Ordinal) ? trimmed.ToLowerInvariant() : trimmed;
    }
}
