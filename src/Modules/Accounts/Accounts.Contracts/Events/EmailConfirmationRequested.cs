using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Accounts.Contracts.Events;

/// <summary>
/// A new account (or its owner asking again) needs the link that confirms its email address. <paramref name="Token"/> opens
/// <see cref="AccountsRoutes.ConfirmEmail"/> until <paramref name="ExpiresUtc"/>; it is only ever emailed to the account's address.
/// </summary>
public sealed record EmailConfirmationRequested(Guid EventId, DateTime OccurredUtc, string UserId, string Email, string Name, string Token, DateTime ExpiresUtc)
    : IIntegrationEvent;
