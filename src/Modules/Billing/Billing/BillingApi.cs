
namespace ChaosModular.Billing;

internal sealed class BillingApi(BillingDbContext db, IssueInvoice issue, Purchase purchase, CollectAutomatically collect, VoidInvoice voidInvoice,
    RefundInvoiceToCredit refundToCredit, TimeProvider clock) : IBillingApi
{
    public async Task<InvoiceSummary> CreateInvoiceAsync(CreateInvoice request, CancellationToken cancellationToken) =>
        Summary(await issue.HandleAsync(request, cancellationToken));

    public async Task<IReadOnlyList<CreateInvoiceResult>> CreateInvoicesAsync(IReadOnlyList<CreateInvoice> requests, CancellationToken cancellationToken) =>
        (await issue.HandleManyAsync(requests, cancellationToken))
            .Select(r => r.Invoice is { } invoice ? new CreateInvoiceResult(Summary(invoice), null) : new CreateInvoiceResult(null, r.Error!.Message))
            .ToList();

    public Task<PurchaseResult> PurchaseAsync(CreateInvoice request, CancellationToken cancellationToken) =>
        purchase.HandleAsync(request, cancellationToken);

    public async Task<ChargeResult> CollectAutomaticallyAsync(Guid invoiceId, CancellationToken cancellationToken) =>
        ChargeInvoice.Result(await collect.HandleAsync(invoiceId, cancellationToken)
            ?? throw new InvalidOperationException($"Invoice {invoiceId} does not exist."));

    public async Task<IReadOnlyDictionary<Guid, ChargeResult>> CollectAutomaticallyAsync(IReadOnlyList<Guid> invoiceIds, CancellationToken cancellationToken) =>
        (await collect.HandleManyAsync(invoiceIds, cancellationToken)).ToDictionary(o => o.Key, o => ChargeInvoice.Result(o.Value));

    public Task<bool> VoidInvoiceAsync(Guid invoiceId, string reason, CancellationToken cancellationToken) =>
        voidInvoice.HandleAsync(invoiceId, reason, cancellationToken);

    public async Task<InvoiceState?> InvoiceStateAsync(Guid invoiceId, CancellationToken cancellationToken)
    {
        var invoice = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.Id == invoiceId, cancellationToken);
        if (invoice is null)
        {
            return null;
        }
        var now = clock.UtcNow();
        return new InvoiceState(invoice.Id, invoice.Number, invoice.DisplayStatusOn(clock.Today()).ToString(), invoice.BalanceDue,
            AutomaticAttemptsLeft: invoice.Status == InvoiceStatus.Open && invoice.NextAutoPayUtc is not null,
            PaymentInProgress: invoice.PaymentLockUntilUtc > now
                || await db.Invoices.Where(i => i.Id == invoiceId).HeldByPendingPayment(db).AnyAsync(cancellationToken));
    }

    public Task<CreditSummary?> RefundToCreditAsync(RefundToCredit request, CancellationToken cancellationToken) =>
        refundToCredit.HandleAsync(request, cancellationToken);

    public async Task<PaymentMethodSummary?> DefaultPaymentMethodAsync(string customerId, CancellationToken cancellationToken) =>
        await db.PaymentMethods.AsNoTracking().DefaultOfAsync(customerId, cancellationToken) is { } m
            ? new PaymentMethodSummary(m.Id, m.Brand, m.Last4, m.ExpiryMonth, m.ExpiryYear)
            : null;

    public async Task<BillingInformationSummary?> BillingInformationAsync(string customerId, CancellationToken cancellationToken)
    {
        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.CustomerId == customerId, cancellationToken);
        return profile is null || string.IsNullOrEmpty(profile.Country)
            ? null
            : new BillingInformationSummary(profile.Name, profile.AddressLine1, profile.City, profile.PostalCode, profile.Country, profile.VatId, profile.BillingEmail);
    }

    private static InvoiceSummary Summary(Invoice invoice) =>
        new(invoice.Id, invoice.Number, new Money(invoice.Total, invoice.Currency), invoice.BalanceDue, invoice.Status.ToString(), invoice.DueUtc);
}
