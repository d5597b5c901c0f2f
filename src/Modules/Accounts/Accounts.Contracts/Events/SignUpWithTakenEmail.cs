using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Accounts.Contracts.Events;

/// <summary>
/// Someone filled in Create account with the address of an existing account. Sign-up answers as it does for a new
/// address (so it cannot tell anyone who has an account); the owner gets a notice with a sign-in and a reset link instead.
/// </summary>
public sealed record SignUpWithTakenEmail(Guid EventId, DateTime OccurredUtc, string UserId, string Email, string Name) : IIntegrationEvent;
