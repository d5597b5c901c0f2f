using Microsoft.Extensions.Options;

namespace ChaosModular.Billing.Features;

/// <summary>
/// Issues an invoice at the customer's billing information as it is now, numbered INV-yyyy-nnnnnn
/// without gaps or duplicates (the year's counter is bumped under optimistic concurrency).
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
            var number = await NextNumberAsync(issued.Year, cancellationToken);
            var invoice = Invoice.Issue(number, request.CustomerId, request.Currency, issued, billing.PaymentTermDays, tax.RatePercent, profile.Snapshot(),
                request.Lines.Select(l => (l.Description, l.Quantity, l.UnitPrice, l.PeriodStart, l.PeriodEnd, l.ProductReference)), request.SourceReference,
                request.DueOn);
            db.Invoices.Add(invoice);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return invoice;
            }
            // Not Claims.RetryOnConflictAsync/TryInsertOnceAsync alone: a conflict is either the counter (take the next number) or the source (return the winner's).
            catch (DbUpdateException)
            {
                // Another invoice took the number, or (the unique source index) the same source was issued concurrently.
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
        }
    }

    private async Task<Invoice?> IssuedForAsync(CreateInvoice request, CancellationToken cancellationToken) =>
        request.SourceReference is null
            ? null
            : await db.Invoices.AsNoTracking().Include(i => i.Lines)
                .SingleOrDefaultAsync(i => i.CustomerId == request.CustomerId && i.SourceReference == request.SourceReference, cancellationToken);

    private async Task<string> NextNumberAsync(int year, CancellationToken cancellationToken)
    {
        var counter = await db.InvoiceNumbers.SingleOrDefaultAsync(c => c.Year == year, cancellationToken);
        if (counter is null)
        {
            counter = new InvoiceNumberCounter { Year = year, Last = 0, Version = Guid.NewGuid() };
            db.InvoiceNumbers.Add(counter);
        }
        counter.Last++;
        counter.Version = Guid.NewGuid();
        return $"INV-{year}-{counter.Last:000000}";
    }
}
