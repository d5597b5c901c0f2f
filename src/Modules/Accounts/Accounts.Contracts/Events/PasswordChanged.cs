using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Accounts.Contracts.Events;

public sealed record PasswordChanged(Guid EventId, DateTime OccurredUtc, string UserId, string Email, string Name) : IIntegrationEvent;
