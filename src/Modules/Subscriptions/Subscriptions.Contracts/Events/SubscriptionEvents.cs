using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Subscriptions.Contracts.Events;

/// <summary>Subscription facts Licensing keeps licenses in step with.</summary>
public sealed record SubscriptionCreated(Guid EventId, DateTime OccurredUtc, Guid SubscriptionId, string CustomerId, string PlanCode, int Seats, DateOnly PeriodEnd) : IIntegrationEvent;

public sealed record SubscriptionSeatsChanged(Guid EventId, DateTime OccurredUtc, Guid SubscriptionId, string CustomerId, int Seats) : IIntegrationEvent;

public sealed record SubscriptionUpgraded(Guid EventId, DateTime OccurredUtc, Guid SubscriptionId, string CustomerId, string FromPlanCode, string ToPlanCode, int Seats) : IIntegrationEvent;

public sealed record SubscriptionRenewed(Guid EventId, DateTime OccurredUtc, Guid SubscriptionId, string CustomerId, DateOnly PeriodEnd, int Seats) : IIntegrationEvent;

/// <param name="Reason">Why, when it was not simply left to run out (an unpaid renewal).</param>
public sealed record SubscriptionExpired(Guid EventId, DateTime OccurredUtc, Guid SubscriptionId, string CustomerId, string? Reason = null) : IIntegrationEvent;

/// <summary>
/// An order was paid but did not take effect: the subscription changed between ordering and paying (seats added before an
/// upgrade was paid, upgraded in another tab, renewed already). What was paid goes back to the customer as credit.
/// </summary>
/// <param name="InvoiceId">The order's paid invoice; null when nothing was invoiced (an order with nothing to pay).</param>
/// <param name="Reason">Why, for the customer: shown with the credit and emailed.</param>
public sealed record PaidOrderNotApplied(Guid EventId, DateTime OccurredUtc, Guid OrderId, string CustomerId, Guid? InvoiceId, string Reason) : IIntegrationEvent;
