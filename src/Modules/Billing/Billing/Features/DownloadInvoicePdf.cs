using ChaosModular.Billing.Pdf;
using Microsoft.Extensions.Options;

namespace ChaosModular.Billing.Features;

/// <summary>One of the customer's invoices as a PDF, with the status it shows today (VOID, OVERDUE, PAID).</summary>
internal sealed class DownloadInvoicePdf(BillingDbContext db, IOptions<BillingOptions> options, TimeProvider clock)
{
    /// <summary>The address <see cref="Contracts.BillingRoutes.InvoicePdf"/> links to.</summary>
    public const string Route = "/billing/invoices/{id:guid}/pdf";

    public sealed record File(byte[] Content, string FileName);

    /// <summary>Null when the customer has no such invoice.</summary>
    public async Task<File?> HandleAsync(string customerId, Guid invoiceId, CancellationToken cancellationToken)
    {
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines)
            .SingleOrDefaultAsync(i => i.Id == invoiceId && i.CustomerId == customerId, cancellationToken);
        return invoice is null ? null : new File(InvoicePdf.Render(invoice, options.Value.Seller, invoice.DisplayStatusOn(clock.Today())), $"{invoice.Number}.pdf");
    }
}
