using ChaosModular.Billing.Pdf;
using Microsoft.Extensions.Options;

namespace ChaosModular.Billing.Features;

/// <summary>One of the customer's invoices as a PDF, with the status it shows today (VOID, OVERDUE, PAID) and the card that paid it.</summary>
internal sealed class DownloadInvoicePdf(BillingDbContext db, IOptions<BillingOptions> options, TimeProvider clock, PageDataCache cache)
{
    /// <summary>The address <see cref="Contracts.BillingRoutes.InvoicePdf"/> links to.</summary>
    public const string Route = "/billing/invoices/{id:guid}/pdf";

    /// <summary>The document in a pooled stream at its start; the response disposes it once sent.</summary>
    public sealed record File(Stream Content, string FileName);

    /// <summary>
    /// Null when the customer has no such invoice. Where page data is kept (<see cref="PageDataCache"/>) the document's bytes
    /// are kept while nothing it read changes; otherwise it is written into a pooled stream each time.
    /// </summary>
    public async Task<File?> HandleAsync(string customerId, Guid invoiceId, CancellationToken cancellationToken)
    {
        if (!cache.Enabled)
        {
            return await ReadAsync(customerId, invoiceId, (invoice, paidWith) => InvoicePdf.RenderToStream(invoice, options.Value.Seller,
                invoice.DisplayStatusOn(clock.Today()), paidWith), cancellationToken) is { } read ? new File(read.Content, read.FileName) : null;
        }
        var kept = await cache.GetOrReadAsync((typeof(DownloadInvoicePdf), customerId, invoiceId),
            c => ReadAsync(customerId, invoiceId, (invoice, paidWith) => InvoicePdf.Render(invoice, options.Value.Seller, invoice.DisplayStatusOn(clock.Today()), paidWith), c),
            cancellationToken);
        return kept is null ? null : new File(new MemoryStream(kept.Content, writable: false), kept.FileName);
    }

    private sealed record Rendered<T>(T Content, string FileName);

    private async Task<Rendered<T>?> ReadAsync<T>(string customerId, Guid invoiceId, Func<Invoice, IReadOnlyList<string>, T> render, CancellationToken cancellationToken)
    {
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines)
            .SingleOrDefaultAsync(i => i.Id == invoiceId && i.CustomerId == customerId, cancellationToken);
        if (invoice is null)
        {
            return null;
        }
        // The card is copied onto each payment when it is made, so a card removed since still shows.
        var paidWith = invoice.AmountPaid == 0 ? [] : await (
                from a in db.Set<PaymentAllocation>().AsNoTracking()
                join p in db.Payments.AsNoTracking() on a.PaymentId equals p.Id
                where a.InvoiceId == invoiceId && p.Status == PaymentStatus.Succeeded && p.MethodDescription != null && p.Amount > 0
                orderby p.CreatedUtc
                select p.MethodDescription!)
            .ToListAsync(cancellationToken);
        return new Rendered<T>(render(invoice, paidWith.Distinct().ToList()), $"{invoice.Number}.pdf");
    }
}
