using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Accounts.Contracts.Events;

public sealed record CustomerRegistered(
    Guid EventId, DateTime OccurredUtc, string UserId, string Email, string Name, string CustomerNumber) : IIntegrationEvent;
