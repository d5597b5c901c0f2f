using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Subscriptions.Contracts.Events;

/// <summary>Subscription facts Licensing keeps licenses in step with.</summary>
public sealed record SubscriptionCreated(Guid EventId, DateTime OccurredUtc, Guid SubscriptionId, string CustomerId, string PlanCode, int Seats, DateOnly PeriodEnd) : IIntegrationEvent;

public sealed record SubscriptionSeatsChanged(Guid EventId, DateTime OccurredUtc, Guid SubscriptionId, string CustomerId, int Seats) : IIntegrationEvent;

public sealed record SubscriptionUpgraded(Guid EventId, DateTime OccurredUtc, Guid SubscriptionId, string CustomerId, string FromPlanCode, string ToPlanCode, int Seats) : IIntegrationEvent;

public sealed record SubscriptionRenewed(Guid EventId, DateTime OccurredUtc, Guid SubscriptionId, string CustomerId, DateOnly PeriodEnd, int Seats) : IIntegrationEvent;

/// <param name="Reason">Why, when it was not simply left to run out (an unpaid renewal).</param>
public sealed record SubscriptionExpired(Guid EventId, DateTime OccurredUtc, Guid SubscriptionId, string CustomerId, string? Reason = null) : IIntegrationEvent;
