using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Accounts.Contracts.Events;

/// <summary>
/// Someone asked on Forgot password for a link to set a new password of this account. <paramref name="Token"/> opens
/// <see cref="AccountsRoutes.ResetPassword"/> once, until <paramref name="ExpiresUtc"/>; it is only ever emailed to the account's address.
/// </summary>
public sealed record PasswordResetRequested(Guid EventId, DateTime OccurredUtc, string UserId, string Email, string Name, string Token, DateTime ExpiresUtc)
    : IIntegrationEvent;
