using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Modules.Infrastructure.Persistence;

/// <summary>
/// How a drain claims its next batch of rows for a while (<see cref="Claims"/> names the pattern): the rows it may take,
/// their id, the two columns that hold a claim, the order they are taken in, and the same claim as one PostgreSQL
/// statement with <c>FOR UPDATE SKIP LOCKED</c> (arguments: claim id, now, claimed until, batch size).
/// </summary>
public sealed record BatchClaim<T, TOrder>(
    Func<DateTime, IQueryable<T>> Claimable,
    Expression<Func<T, Guid>> Id,
    Expression<Func<T, Guid?>> ClaimId,
    Expression<Func<T, DateTime?>> ClaimedUntil,
    Expression<Func<T, TOrder>> OrderBy,
    Func<Guid, DateTime, DateTime, int, FormattableString> SkipLockedSql)
    where T : class;

public static class BatchClaims
{
    /// <summary>
    /// Claims up to <paramref name="batchSize"/> rows no other claimer holds, until <paramref name="now"/> + <paramref name="claimFor"/>;
    /// returns their ids (empty when none is left). On PostgreSQL one statement with <c>SKIP LOCKED</c>; elsewhere the ids are read,
    /// then claimed with a conditional <c>ExecuteUpdate</c> (a claimer that loses every row of its read reads the next ones).
    /// </summary>
    public static async Task<List<Guid>> ClaimBatchAsync<T, TOrder>(this DbContext db, BatchClaim<T, TOrder> claim, DateTime now, TimeSpan claimFor,
        int batchSize, CancellationToken cancellationToken)
        where T : class
    {
        var claimId = Guid.NewGuid();
        var until = now.Add(claimFor);
        if (db.ClaimsWithSkipLocked())
        {
            return await db.Database.SqlQuery<Guid>(claim.SkipLockedSql(claimId, now, until, batchSize)).ToListAsync(cancellationToken);
        }
        while (true)
        {
            var candidates = await claim.Claimable(now).AsNoTracking().OrderBy(claim.OrderBy).Select(claim.Id).Take(batchSize).ToListAsync(cancellationToken);
            if (candidates.Count == 0)
            {
                return [];
            }
            var ofCandidates = In(claim.Id, candidates);
            var claimed = await claim.Claimable(now).Where(ofCandidates)
                .ExecuteUpdateAsync(s => s.SetProperty(claim.ClaimId, claimId).SetProperty(claim.ClaimedUntil, until), cancellationToken);
            if (claimed > 0)
            {
                return await db.Set<T>().AsNoTracking().Where(ofCandidates).Where(Is(claim.ClaimId, claimId)).Select(claim.Id).ToListAsync(cancellationToken);
            }
            // Another claimer took all of these between the read and the update: read the next ones.
        }
    }

    private sealed class Ids(List<Guid> values)
    {
        public List<Guid> Values { get; } = values;
    }

    private sealed class Value(Guid? id)
    {
        public Guid? Id { get; } = id;
    }

    // Member accesses on captured objects, so that EF Core sends the ids and the claim id as parameters.
    private static Expression<Func<T, bool>> In<T>(Expression<Func<T, Guid>> id, List<Guid> ids) =>
        Expression.Lambda<Func<T, bool>>(
            Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(Guid)],
                Expression.Property(Expression.Constant(new Ids(ids)), nameof(Ids.Values)), id.Body),
            id.Parameters);

    private static Expression<Func<T, bool>> Is<T>(Expression<Func<T, Guid?>> claimId, Guid value) =>
        Expression.Lambda<Func<T, bool>>(
            Expression.Equal(claimId.Body, Expression.Property(Expression.Constant(new Value(value)), nameof(Value.Id))),
            claimId.Parameters);
}
