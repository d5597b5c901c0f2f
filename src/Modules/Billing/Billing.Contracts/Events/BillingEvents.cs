using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Billing.Contracts.Events;

public sealed record InvoicePaid(Guid EventId, DateTime OccurredUtc, Guid InvoiceId, string InvoiceNumber, string CustomerId, string? SourceReference) : IIntegrationEvent;

public sealed record PaymentFailed(Guid EventId, DateTime OccurredUtc, Guid PaymentId, string CustomerId, IReadOnlyList<Guid> InvoiceIds, string Reason) : IIntegrationEvent;

public sealed record PaymentSucceeded(Guid EventId, DateTime OccurredUtc, Guid PaymentId, string CustomerId) : IIntegrationEvent;

/// <summary>An unpaid invoice was voided (a declined purchase, a renewal nobody paid); whatever it was for must not take effect.</summary>
public sealed record InvoiceVoided(Guid EventId, DateTime OccurredUtc, Guid InvoiceId, string InvoiceNumber, string CustomerId, string? SourceReference, string Reason) : IIntegrationEvent;
