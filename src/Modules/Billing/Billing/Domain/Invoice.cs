using System.Linq.Expressions;

namespace ChaosModular.Billing.Domain;

internal enum InvoiceStatus
{
    Open,
    Paid,
    Overdue,
    Void,
}

/// <summary>The billing information an invoice was issued to; copied at issue and never changed after.</summary>
internal sealed record BillingSnapshot(string Name, string AddressLine1, string? AddressLine2, string City, string PostalCode, string Country, string BillingEmail, string? VatId);

internal sealed class InvoiceLine
{
    private InvoiceLine() { }

    public InvoiceLine(string description, decimal quantity, decimal unitPrice, decimal amount, DateOnly? periodStart, DateOnly? periodEnd, string? productReference)
    {
        Id = Guid.NewGuid();
        Description = description;
        Quantity = quantity;
        UnitPrice = unitPrice;
        Amount = amount;
        PeriodStart = periodStart;
        PeriodEnd = periodEnd;
        ProductReference = productReference;
    }

    public Guid Id { get; private set; }
    public Guid InvoiceId { get; private set; }
    public string Description { get; private set; } = "";
    public decimal Quantity { get; private set; }
    public decimal UnitPrice { get; private set; }

    /// <summary>Quantity × unit price, rounded to the currency's minor unit.</summary>
    public decimal Amount { get; private set; }
    public DateOnly? PeriodStart { get; private set; }
    public DateOnly? PeriodEnd { get; private set; }
    public string? ProductReference { get; private set; }
}

internal sealed class Invoice
{
    private readonly List<InvoiceLine> _lines = [];

    private Invoice() { }

    public Guid Id { get; private set; }
    public string Number { get; private set; } = "";
    public string CustomerId { get; private set; } = "";
    public string Currency { get; private set; } = "";
    public DateTime IssuedUtc { get; private set; }
    public DateTime DueUtc { get; private set; }
    public InvoiceStatus Status { get; private set; }
    public decimal TaxRatePercent { get; private set; }
    public decimal Subtotal { get; private set; }
    public decimal Tax { get; private set; }
    public decimal Total { get; private set; }
    public decimal AmountPaid { get; private set; }
    public DateTime? PaidUtc { get; private set; }
    public BillingSnapshot BillTo { get; private set; } = null!;
    public string? SourceReference { get; private set; }
    public int AutoPayFailures { get; private set; }
    public DateTime? NextAutoPayUtc { get; private set; }

    /// <summary>When the last automatic attempt was made (null for attempts recorded before this was kept).</summary>
    public DateTime? LastAutoPayAttemptUtc { get; private set; }

    /// <summary>Why the invoice was voided (its order was declined or abandoned), when it was.</summary>
    public string? VoidReason { get; private set; }
    public DateTime? VoidedUtc { get; private set; }

    /// <summary>The payment that holds this invoice while it talks to the gateway; others must wait or give up.</summary>
    public Guid? PaymentLockId { get; private set; }
    public DateTime? PaymentLockUntilUtc { get; private set; }

    /// <summary>The automatic payment run's batch that holds this invoice (see <c>AutomaticPaymentJob</c>); set by conditional updates only.</summary>
    public Guid? AutoPayClaimId { get; private set; }

    /// <summary>Until when that batch holds it: no other run attempts it before then (a crashed run's claim simply lapses).</summary>
    public DateTime? AutoPayClaimedUntilUtc { get; private set; }

    /// <summary>Optimistic concurrency: two payments of one invoice cannot both be saved.</summary>
    public Guid Version { get; private set; }

    public IReadOnlyList<InvoiceLine> Lines => _lines;

    /// <summary>What is left to pay; nothing on a voided invoice.</summary>
    public decimal Balance => Status == InvoiceStatus.Void ? 0 : Total - AmountPaid;
    public Money BalanceDue => new(Balance, Currency);
    public bool IsPayable => Status is InvoiceStatus.Open or InvoiceStatus.Overdue && Balance > 0;

    /// <summary>
    /// A unique stand-in number (never shown) for an invoice inserted before its batch takes its numbers: the numbers are taken
    /// last in the issuing transaction, see <c>IssueInvoice</c>.
    /// </summary>
    public static string Unnumbered() => string.Concat("~", Guid.NewGuid().ToString("N").AsSpan(0, 29));

    /// <summary>Gives an invoice issued <see cref="Unnumbered"/> its number, in the same transaction.</summary>
    public void Numbered(string number)
    {
        if (!Number.StartsWith('~'))
        {
            throw new InvalidOperationException($"Invoice {Number} already has its number.");
        }
        Number = number;
    }

    public static Invoice Issue(string number, string customerId, string currency, DateTime issuedUtc, int paymentTermDays,
        decimal taxRatePercent, BillingSnapshot billTo, IEnumerable<(string Description, decimal Quantity, decimal UnitPrice, DateOnly? PeriodStart, DateOnly? PeriodEnd, string? ProductReference)> lines,
        string? sourceReference = null, DateOnly? dueOn = null)
    {
        var invoice = new Invoice
        {
            Id = Guid.NewGuid(),
            Number = number,
            CustomerId = customerId,
            Currency = currency,
            IssuedUtc = issuedUtc,
            DueUtc = dueOn?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) ?? issuedUtc.Date.AddDays(paymentTermDays),
            Status = InvoiceStatus.Open,
            TaxRatePercent = taxRatePercent,
            BillTo = billTo,
            SourceReference = sourceReference,
            Version = Guid.NewGuid(),
        };
        foreach (var l in lines)
        {
            if (l.Quantity <= 0)
            {
                throw new ArgumentException($"Line '{l.Description}' needs a positive quantity.", nameof(lines));
            }
            var amount = InvoiceMath.LineAmount(l.Quantity, l.UnitPrice, currency);
            invoice._lines.Add(new InvoiceLine(l.Description, l.Quantity, l.UnitPrice, amount.Amount, l.PeriodStart, l.PeriodEnd, l.ProductReference));
        }
        if (invoice._lines.Count == 0)
        {
            throw new ArgumentException("An invoice needs at least one line.", nameof(lines));
        }
        var (subtotal, tax, total) = InvoiceMath.Totals(invoice._lines.Select(x => new Money(x.Amount, currency)), taxRatePercent, currency);
        invoice.Subtotal = subtotal.Amount;
        invoice.Tax = tax.Amount;
        invoice.Total = total.Amount;
        invoice.NextAutoPayUtc = PaymentRetrySchedule.NextAttemptUtc(invoice.DueUtc, 0);
        return invoice;
    }

    /// <summary>Open or Overdue: not paid and not voided.</summary>
    public static readonly Expression<Func<Invoice, bool>> Unpaid = i => i.Status == InvoiceStatus.Open || i.Status == InvoiceStatus.Overdue;

    /// <summary>An open invoice past its due date is overdue even before its automatic attempts run out and the job marks it.</summary>
    public bool IsOverdueOn(DateOnly today) => Status == InvoiceStatus.Overdue || (Status == InvoiceStatus.Open && DueUtc < StartOf(today));

    /// <summary>Shown status: an open invoice past its due date reads Overdue (<see cref="IsOverdueOn"/>).</summary>
    public InvoiceStatus DisplayStatusOn(DateOnly today) => Status == InvoiceStatus.Open && IsOverdueOn(today) ? InvoiceStatus.Overdue : Status;

    /// <summary>The invoices <see cref="DisplayStatusOn"/> shows as <paramref name="status"/> on <paramref name="today"/>, for a query.</summary>
    public static Expression<Func<Invoice, bool>> ShownAs(InvoiceStatus status, DateOnly today)
    {
        var start = StartOf(today);
        return status switch
        {
            InvoiceStatus.Overdue => i => i.Status == InvoiceStatus.Overdue || (i.Status == InvoiceStatus.Open && i.DueUtc < start),
            InvoiceStatus.Open => i => i.Status == InvoiceStatus.Open && i.DueUtc >= start,
            _ => i => i.Status == status,
        };
    }

    private static DateTime StartOf(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public void ApplyPayment(Money amount, DateTime utcNow)
    {
        if (amount.Currency != Currency)
        {
            throw new InvalidOperationException($"Invoice {Number} is in {Currency}, not {amount.Currency}.");
        }
        if (amount.Amount <= 0 || amount.Amount > Balance)
        {
            throw new InvalidOperationException($"Cannot apply {amount} to invoice {Number} with {BalanceDue} due.");
        }
        AmountPaid += amount.Amount;
        if (Balance == 0)
        {
            Status = InvoiceStatus.Paid;
            PaidUtc = utcNow;
            NextAutoPayUtc = null;
        }
        Version = Guid.NewGuid();
    }

    /// <summary>
    /// Only an unpaid invoice nobody is paying can be voided: a payment's claim bumps <see cref="Version"/>,
    /// so saving a void after a claim fails on the concurrency token.
    /// </summary>
    public bool CanBeVoided(DateTime utcNow) =>
        Status is InvoiceStatus.Open or InvoiceStatus.Overdue && AmountPaid == 0 && (PaymentLockUntilUtc is null || PaymentLockUntilUtc < utcNow);

    public void Void(string reason, DateTime utcNow)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("Say why the invoice is voided.", nameof(reason));
        }
        if (!CanBeVoided(utcNow))
        {
            throw new InvalidOperationException($"Invoice {Number} is {Status}, has {AmountPaid} paid or is being paid; it cannot be voided.");
        }
        reason = reason.Trim();
        Status = InvoiceStatus.Void;
        VoidReason = reason.Length > MaxVoidReasonLength ? reason[..MaxVoidReasonLength] : reason;
        VoidedUtc = utcNow;
        NextAutoPayUtc = null;
        Version = Guid.NewGuid();
    }

    public const int MaxVoidReasonLength = 500;

    public void HoldPaymentLock(DateTime untilUtc)
    {
        PaymentLockUntilUtc = untilUtc;
        Version = Guid.NewGuid();
    }

    /// <summary>A batch claimed its invoices with one lock id; each invoice's own payment takes its lock over.</summary>
    public void HandPaymentLockTo(Guid paymentId)
    {
        PaymentLockId = paymentId;
        Version = Guid.NewGuid();
    }

    public void ReleasePaymentLock()
    {
        PaymentLockId = null;
        PaymentLockUntilUtc = null;
    }

    public void AutoPayFailed(DateTime? attemptedUtc = null)
    {
        LastAutoPayAttemptUtc = attemptedUtc ?? LastAutoPayAttemptUtc;
        AutoPayFailures++;
        NextAutoPayUtc = PaymentRetrySchedule.NextAttemptUtc(DueUtc, AutoPayFailures);
        if (NextAutoPayUtc is null)
        {
            Status = InvoiceStatus.Overdue;
        }
        Version = Guid.NewGuid();
    }
}
