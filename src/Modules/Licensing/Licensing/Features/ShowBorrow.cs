using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Licensing.Features;

/// <summary>One borrow: its seats, machine and return date, active or returned. The customer's own only.</summary>
internal sealed class ShowBorrow(LicensingDbContext db, ICatalogApi catalog)
{
    public sealed record Result(Borrow Borrow, string ProductName, DateOnly LicenseExpiresOn);

    /// <summary>Null when the customer has no such borrow.</summary>
    public async Task<Result?> HandleAsync(string customerId, Guid borrowId, CancellationToken cancellationToken)
    {
        var found = await db.Borrows.AsNoTracking().Where(b => b.Id == borrowId && b.CustomerId == customerId)
            .Join(db.Licenses, b => b.LicenseId, l => l.Id, (b, l) => new { Borrow = b, l.ProductCode, l.ExpiresOn })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }
        var product = await catalog.ProductAsync(found.ProductCode, cancellationToken);
        return new Result(found.Borrow, product?.Name ?? found.ProductCode, found.ExpiresOn);
    }
}

/// <summary>
/// A borrow's signed file, for download: the customer's own, and only while the borrow is active (a returned borrow's
/// seats are free again, so its file is not handed out any more).
/// </summary>
internal sealed class BorrowFile(LicensingDbContext db)
{
    public sealed record Download(string FileName, string Content);

    public async Task<Download?> HandleAsync(string customerId, Guid borrowId, CancellationToken cancellationToken)
    {
        var found = await db.Borrows.AsNoTracking().Where(b => b.Id == borrowId && b.CustomerId == customerId && b.EndedUtc == null)
            .Join(db.Licenses, b => b.LicenseId, l => l.Id, (b, l) => new { b.File, l.ProductCode, b.ReturnByUtc })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : new Download($"borrow-{found.ProductCode}-until-{found.ReturnByUtc:yyyyMMdd}.json", found.File);
    }
}
