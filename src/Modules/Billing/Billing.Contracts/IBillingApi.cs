using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Billing.Contracts;

/// <summary>
/// The only way other modules bill a customer: Products, renewals and Buy Again create invoices here
/// and charge them with the customer's default payment method.
/// </summary>
public interface IBillingApi
{
    /// <summary>Issues an invoice at the customer's current billing information. Amounts are rounded per line to the currency's minor unit.</summary>
    Task<InvoiceSummary> CreateInvoiceAsync(CreateInvoice request, CancellationToken cancellationToken);

    /// <summary>Applies available credits, then charges the rest with the default method. Safe to repeat with the same key.</summary>
    Task<ChargeResult> ChargeInvoiceAsync(Guid invoiceId, string idempotencyKey, CancellationToken cancellationToken);

    Task<PaymentMethodSummary?> DefaultPaymentMethodAsync(string customerId, CancellationToken cancellationToken);
}

public sealed record CreateInvoice(string CustomerId, string Currency, IReadOnlyList<CreateInvoiceLine> Lines, string? SourceReference = null);

public sealed record CreateInvoiceLine(string Description, decimal Quantity, decimal UnitPrice, DateOnly? PeriodStart, DateOnly? PeriodEnd, string? ProductReference);

public sealed record InvoiceSummary(Guid InvoiceId, string Number, Money Total, Money Balance, string Status, DateTime DueUtc);

public sealed record ChargeResult(bool Paid, string? DeclineReason, Money Charged, Money CreditApplied);

public sealed record PaymentMethodSummary(Guid Id, string Brand, string Last4, int ExpiryMonth, int ExpiryYear);
