using Microsoft.Extensions.Options;

namespace ChaosModular.Billing.Features;

/// <summary>
/// Issues an invoice at the customer's billing information as it is now, numbered INV-yyyy-nnnnnn
/// without gaps or duplicates (the year's counter is bumped in the invoice's own transaction).
/// </summary>
internal sealed class IssueInvoice(BillingDbContext db, IOptions<BillingOptions> options, TimeProvider clock)
{
    private const int Attempts = 10;

    public sealed class MissingBillingInformationException() : InvalidOperationException("Add your billing information before buying.");

    public async Task<Invoice> HandleAsync(CreateInvoice request, CancellationToken cancellationToken, DateTime? issuedUtc = null)
    {
        // A retried job asks again with the same source: it gets the invoice issued the first time, as it is now.
        if (await IssuedForAsync(request, cancellationToken) is { } existing)
        {
            return existing;
        }
        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.CustomerId == request.CustomerId, cancellationToken);
        if (profile is null || string.IsNullOrEmpty(profile.Country))
        {
            throw new MissingBillingInformationException();
        }
        var issued = issuedUtc ?? clock.GetUtcNow().UtcDateTime;
        var billing = options.Value;
        var tax = TaxPolicy.For(billing.Seller.Country, profile.Country, profile.VatId);
        for (var attempt = 1; ; attempt++)
        {
            // The year's counter is bumped in the invoice's own transaction: the bump holds the counter's row until the
            // invoice is saved, so concurrent issuers (the renewal drains) take numbers one after another instead of
            // conflicting, and a failed insert gives its number back.
            var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            try
            {
                var number = await NextNumberAsync(issued.Year, cancellationToken);
                var invoice = Invoice.Issue(number, request.CustomerId, request.Currency, issued, billing.PaymentTermDays, tax.RatePercent, profile.Snapshot(),
                    request.Lines.Select(l => (l.Description, l.Quantity, l.UnitPrice, l.PeriodStart, l.PeriodEnd, l.ProductReference)), request.SourceReference,
                    request.DueOn);
                db.Invoices.Add(invoice);
                await db.SaveChangesAsync(cancellationToken);
                if (ownTransaction is not null)
                {
                    await ownTransaction.CommitAsync(cancellationToken);
                }
                return invoice;
            }
            // Not Claims.RetryOnConflictAsync/TryInsertOnceAsync alone: a conflict is either the counter's first row of the year (take the next number) or the source (return the winner's).
            catch (DbUpdateException) when (ownTransaction is not null)
            {
                // The year's first invoice was issued concurrently, or (the unique source index) the same source was issued concurrently.
                await ownTransaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                if (await IssuedForAsync(request, cancellationToken) is { } concurrent)
                {
                    return concurrent;
                }
                if (attempt >= Attempts)
                {
                    throw;
                }
            }
            finally
            {
                if (ownTransaction is not null)
                {
                    await ownTransaction.DisposeAsync();
                }
            }
        }
    }

    private async Task<Invoice?> IssuedForAsync(CreateInvoice request, CancellationToken cancellationToken) =>
        request.SourceReference is null
            ? null
            : await db.Invoices.AsNoTracking().Include(i => i.Lines)
                .SingleOrDefaultAsync(i => i.CustomerId == request.CustomerId && i.SourceReference == request.SourceReference, cancellationToken);

    private async Task<string> NextNumberAsync(int year, CancellationToken cancellationToken)
    {
        var version = Guid.NewGuid();
        var bumped = await db.InvoiceNumbers.Where(c => c.Year == year)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Last, c => c.Last + 1).SetProperty(c => c.Version, version), cancellationToken);
        if (bumped == 0)
        {
            db.InvoiceNumbers.Add(new InvoiceNumberCounter { Year = year, Last = 1, Version = version });
            return $"INV-{year}-{1:000000}";
        }
        var last = await db.InvoiceNumbers.AsNoTracking().Where(c => c.Year == year).Select(c => c.Last).SingleAsync(cancellationToken);
        return $"INV-{year}-{last:000000}";
    }
}
