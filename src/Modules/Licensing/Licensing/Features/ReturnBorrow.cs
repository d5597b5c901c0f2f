namespace ChaosModular.Licensing.Features;

/// <summary>
/// Returns borrowed seats before their return date: the borrow ends as <see cref="SeatsEnded.Released"/> and its seats
/// are free at once (the seat ledger's claim frees them once, however often Return is pressed). The customer's own only.
/// </summary>
internal sealed class ReturnBorrow(LicensingDbContext db, SeatLedger ledger)
{
    public enum Outcome
    {
        NotFound,
        Returned,
        AlreadyEnded,
    }

    public sealed record Result(Outcome Outcome, Guid LicenseId, int Seats);

    public async Task<Result> HandleAsync(string customerId, Guid borrowId, CancellationToken cancellationToken)
    {
        var borrow = await db.Borrows.AsNoTracking().Where(b => b.Id == borrowId && b.CustomerId == customerId)
            .Select(b => new { b.LicenseId, b.Seats }).SingleOrDefaultAsync(cancellationToken);
        if (borrow is null)
        {
            return new Result(Outcome.NotFound, Guid.Empty, 0);
        }
        var returned = await ledger.EndBorrowAsync(borrowId, SeatsEnded.Released, cancellationToken);
        return new Result(returned ? Outcome.Returned : Outcome.AlreadyEnded, borrow.LicenseId, borrow.Seats);
    }
}
