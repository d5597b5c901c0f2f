using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Billing.Contracts;

/// <summary>
/// The only way other modules bill a customer: Products, renewals and Buy Again create invoices here
/// and charge them with the customer's default payment method.
/// </summary>
public interface IBillingApi
{
    /// <summary>
    /// Issues an invoice at the customer's current billing information. Amounts are rounded per line to the
    /// currency's minor unit. With a <see cref="CreateInvoice.SourceReference"/>, asking again with the same
    /// reference returns the invoice issued the first time (a retried job issues one invoice).
    /// Throws when the customer has no billing information yet.
    /// </summary>
    Task<InvoiceSummary> CreateInvoiceAsync(CreateInvoice request, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="CreateInvoiceAsync"/> for many invoices at once (the renewal run's batch): one transaction, numbers consecutive in
    /// input order. Answers in input order; a request that cannot be issued (no billing information) gets its error instead of an
    /// invoice and the others are issued. Asking again with the same source references returns the same invoices.
    /// </summary>
    Task<IReadOnlyList<CreateInvoiceResult>> CreateInvoicesAsync(IReadOnlyList<CreateInvoice> requests, CancellationToken cancellationToken);

    /// <summary>
    /// A purchase in one call: issues the invoice (once per <see cref="CreateInvoice.SourceReference"/>, which is
    /// required and is also the payment's idempotency key), applies credits, charges the rest with the default
    /// method and answers Paid, Declined (the invoice is already voided, nothing is owed) or Pending (the payment
    /// service has not answered: <c>InvoicePaid</c> or <c>InvoiceVoided</c> follows). A customer without billing
    /// information gets <see cref="PurchaseStatus.NoBillingInformation"/> and no invoice. Asking again with the same
    /// reference answers the first purchase's outcome and charges nothing twice.
    /// </summary>
    Task<PurchaseResult> PurchaseAsync(CreateInvoice request, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the invoice's scheduled automatic payment attempt now (a renewal is charged on its renewal
    /// day this way). A failure counts toward Billing's retry schedule and emails the customer, exactly as
    /// the automatic payment job does; calling again for the same attempt charges nothing twice.
    /// </summary>
    Task<ChargeResult> CollectAutomaticallyAsync(Guid invoiceId, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="CollectAutomaticallyAsync(Guid, CancellationToken)"/> for many invoices at once, each with its own payment (the
    /// renewal run's batch). An invoice whose attempt could not be made (logged) is missing from the answer and is tried again later;
    /// a decline or an unanswered charge of one invoice does not affect the others.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, ChargeResult>> CollectAutomaticallyAsync(IReadOnlyList<Guid> invoiceIds, CancellationToken cancellationToken);

    /// <summary>
    /// Voids an unpaid invoice nobody is paying (its order was declined or abandoned). False when it is paid,
    /// partly paid or held by a payment in progress; then it stays as it is. A voided invoice is announced
    /// with <c>InvoiceVoided</c> (once, however often it is asked).
    /// </summary>
    Task<bool> VoidInvoiceAsync(Guid invoiceId, string reason, CancellationToken cancellationToken);

    /// <summary>Where an invoice stands, or null when there is no such invoice.</summary>
    Task<InvoiceState?> InvoiceStateAsync(Guid invoiceId, CancellationToken cancellationToken);

    /// <summary>
    /// Puts what the customer paid for an invoice on their unapplied credits (its amount and currency) with
    /// <see cref="RefundToCredit.Reason"/> shown beside it on the invoice list, and emails the customer: for something
    /// paid that did not take effect. Once per invoice: asking again (a retried event) credits and emails nothing more
    /// and answers the first credit. Null when nothing was paid for the invoice.
    /// </summary>
    Task<CreditSummary?> RefundToCreditAsync(RefundToCredit request, CancellationToken cancellationToken);

    Task<PaymentMethodSummary?> DefaultPaymentMethodAsync(string customerId, CancellationToken cancellationToken);

    /// <summary>The name and country an invoice would be issued to now, or null when the customer has not given them.</summary>
    Task<BillingInformationSummary?> BillingInformationAsync(string customerId, CancellationToken cancellationToken);
}

/// <param name="DueOn">When set, the invoice is due that day (a renewal is due on its renewal date) instead of after the payment term.</param>
public sealed record CreateInvoice(string CustomerId, string Currency, IReadOnlyList<CreateInvoiceLine> Lines, string? SourceReference = null, DateOnly? DueOn = null);

public sealed record CreateInvoiceLine(string Description, decimal Quantity, decimal UnitPrice, DateOnly? PeriodStart, DateOnly? PeriodEnd, string? ProductReference);

/// <param name="Error">Why the invoice could not be issued, when <paramref name="Invoice"/> is null.</param>
public sealed record CreateInvoiceResult(InvoiceSummary? Invoice, string? Error);

public sealed record InvoiceSummary(Guid InvoiceId, string Number, Money Total, Money Balance, string Status, DateTime DueUtc);

public enum PurchaseStatus
{
    Paid,
    Declined,
    Pending,
    NoBillingInformation,
}

/// <param name="InvoiceId">Null only with <see cref="PurchaseStatus.NoBillingInformation"/>.</param>
/// <param name="DeclineReason">The payment service's reason, with <see cref="PurchaseStatus.Declined"/>.</param>
public sealed record PurchaseResult(PurchaseStatus Status, Guid? InvoiceId, string? InvoiceNumber, Money? Total, string? DeclineReason = null);

/// <param name="Pending">The payment service did not answer; the payment is retried with the same key and <c>InvoicePaid</c> follows if it succeeds.</param>
public sealed record ChargeResult(bool Paid, string? DeclineReason, Money Charged, Money CreditApplied, bool Pending = false);

/// <param name="Status">Open, Paid, Overdue or Void.</param>
/// <param name="AutomaticAttemptsLeft">Whether Billing will still try to charge it automatically.</param>
public sealed record InvoiceState(Guid InvoiceId, string Number, string Status, Money Balance, bool AutomaticAttemptsLeft, bool PaymentInProgress);

/// <param name="Reason">Why the customer gets the money back, in their words: shown on the invoice list and in the email (200 characters at most).</param>
public sealed record RefundToCredit(Guid InvoiceId, string Reason);

public sealed record CreditSummary(Guid CreditId, Money Amount, string Reason);

public sealed record PaymentMethodSummary(Guid Id, string Brand, string Last4, int ExpiryMonth, int ExpiryYear);

public sealed record BillingInformationSummary(string Name, string AddressLine1, string City, string PostalCode, string Country, string? VatId, string BillingEmail);
