using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Features;
using ChaosModular.Modules.Abstractions;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Billing;

internal sealed class BillingApi(BillingDbContext db, IssueInvoice issue, PayInvoices pay, CollectAutomatically collect, TimeProvider clock) : IBillingApi
{
    public async Task<InvoiceSummary> CreateInvoiceAsync(CreateInvoice request, CancellationToken cancellationToken) =>
        Summary(await issue.HandleAsync(request, cancellationToken));

    public async Task<PurchaseResult> PurchaseAsync(CreateInvoice request, CancellationToken cancellationToken)
    {
        var reference = request.SourceReference ?? throw new ArgumentException("A purchase needs a source reference.", nameof(request));
        if (await BillingInformationAsync(request.CustomerId, cancellationToken) is null)
        {
            return new PurchaseResult(PurchaseStatus.NoBillingInformation, null, null, null);
        }
        var invoice = await CreateInvoiceAsync(request, cancellationToken);
        var charge = await ChargeInvoiceAsync(invoice.InvoiceId, reference, cancellationToken);
        if (charge.Paid)
        {
            return new PurchaseResult(PurchaseStatus.Paid, invoice.InvoiceId, invoice.Number, invoice.Total);
        }
        if (charge.Pending)
        {
            return new PurchaseResult(PurchaseStatus.Pending, invoice.InvoiceId, invoice.Number, invoice.Total);
        }
        var reason = charge.DeclineReason ?? "The payment was declined.";
        return await VoidInvoiceAsync(invoice.InvoiceId, $"Payment declined: {reason}", CancellationToken.None)
            ? new PurchaseResult(PurchaseStatus.Declined, invoice.InvoiceId, invoice.Number, invoice.Total, reason)
            : new PurchaseResult(PurchaseStatus.Pending, invoice.InvoiceId, invoice.Number, invoice.Total);
    }

    public async Task<ChargeResult> ChargeInvoiceAsync(Guid invoiceId, string idempotencyKey, CancellationToken cancellationToken)
    {
        var invoice = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.Id == invoiceId, cancellationToken)
            ?? throw new InvalidOperationException($"Invoice {invoiceId} does not exist.");
        var outcome = (await pay.HandleAsync(invoice.CustomerId, [invoiceId], idempotencyKey, automatic: false, cancellationToken)).Single();
        return Result(outcome);
    }

    public async Task<ChargeResult> CollectAutomaticallyAsync(Guid invoiceId, CancellationToken cancellationToken) =>
        Result(await collect.HandleAsync(invoiceId, cancellationToken)
            ?? throw new InvalidOperationException($"Invoice {invoiceId} does not exist."));

    public async Task<bool> VoidInvoiceAsync(Guid invoiceId, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        db.ChangeTracker.Clear();   // read the invoice as it is now, not as an earlier call in this scope left it
        var invoice = await db.Invoices.SingleOrDefaultAsync(i => i.Id == invoiceId, cancellationToken)
            ?? throw new InvalidOperationException($"Invoice {invoiceId} does not exist.");
        if (invoice.Status == InvoiceStatus.Void)
        {
            return true;   // a retried void
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var unansweredPayment = invoice.PaymentLockId is { } lockId
            && await db.Payments.AnyAsync(p => p.Id == lockId && p.Status == PaymentStatus.Pending, cancellationToken);
        if (!invoice.CanBeVoided(now) || unansweredPayment)
        {
            return false;
        }
        invoice.Void(reason, now);
        try
        {
            // Saved only if the version is still the one read: a payment's claim in between bumps it.
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return await db.Invoices.AnyAsync(i => i.Id == invoiceId && i.Status == InvoiceStatus.Void, cancellationToken);
        }
    }

    public async Task<InvoiceState?> InvoiceStateAsync(Guid invoiceId, CancellationToken cancellationToken)
    {
        var invoice = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.Id == invoiceId, cancellationToken);
        if (invoice is null)
        {
            return null;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        return new InvoiceState(invoice.Id, invoice.Number, invoice.DisplayStatus(now).ToString(), invoice.BalanceDue,
            AutomaticAttemptsLeft: invoice.Status == InvoiceStatus.Open && invoice.NextAutoPayUtc is not null,
            PaymentInProgress: invoice.PaymentLockUntilUtc > now);
    }

    public Task<PaymentMethodSummary?> DefaultPaymentMethodAsync(string customerId, CancellationToken cancellationToken) =>
        db.PaymentMethods.AsNoTracking()
            .Where(m => m.CustomerId == customerId && m.IsDefault)
            .Select(m => new PaymentMethodSummary(m.Id, m.Brand, m.Last4, m.ExpiryMonth, m.ExpiryYear))
            .SingleOrDefaultAsync(cancellationToken);

    public async Task<BillingInformationSummary?> BillingInformationAsync(string customerId, CancellationToken cancellationToken)
    {
        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.CustomerId == customerId, cancellationToken);
        return profile is null || string.IsNullOrEmpty(profile.Country)
            ? null
            : new BillingInformationSummary(profile.Name, profile.AddressLine1, profile.City, profile.PostalCode, profile.Country, profile.VatId, profile.BillingEmail);
    }

    /// <summary>A payment that did not succeed (yet) has charged nothing and spent no credit: they are restored on a decline.</summary>
    private static ChargeResult Result(PayInvoices.Outcome outcome) => outcome.Paid
        ? new(true, null, outcome.Charged, outcome.CreditApplied)
        : new(false, outcome.Reason, Money.Zero(outcome.Currency), Money.Zero(outcome.Currency), outcome.Pending);

    private static InvoiceSummary Summary(Invoice invoice) =>
        new(invoice.Id, invoice.Number, new Money(invoice.Total, invoice.Currency), invoice.BalanceDue, invoice.Status.ToString(), invoice.DueUtc);
}
