using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Features;
using ChaosModular.Modules.Abstractions;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Billing;

internal sealed class BillingApi(BillingDbContext db, IssueInvoice issue, PayInvoices pay) : IBillingApi
{
    public async Task<InvoiceSummary> CreateInvoiceAsync(CreateInvoice request, CancellationToken cancellationToken) =>
        Summary(await issue.HandleAsync(request, cancellationToken));

    public async Task<ChargeResult> ChargeInvoiceAsync(Guid invoiceId, string idempotencyKey, CancellationToken cancellationToken)
    {
        var invoice = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.Id == invoiceId, cancellationToken)
            ?? throw new InvalidOperationException($"Invoice {invoiceId} does not exist.");
        var outcome = (await pay.HandleAsync(invoice.CustomerId, [invoiceId], idempotencyKey, automatic: false, cancellationToken)).Single();
        return new ChargeResult(outcome.Paid, outcome.Reason, outcome.Charged, outcome.CreditApplied);
    }

    public Task<PaymentMethodSummary?> DefaultPaymentMethodAsync(string customerId, CancellationToken cancellationToken) =>
        db.PaymentMethods.AsNoTracking()
            .Where(m => m.CustomerId == customerId && m.IsDefault)
            .Select(m => new PaymentMethodSummary(m.Id, m.Brand, m.Last4, m.ExpiryMonth, m.ExpiryYear))
            .SingleOrDefaultAsync(cancellationToken);

    private static InvoiceSummary Summary(Invoice invoice) =>
        new(invoice.Id, invoice.Number, new Money(invoice.Total, invoice.Currency), invoice.BalanceDue, invoice.Status.ToString(), invoice.DueUtc);
}
