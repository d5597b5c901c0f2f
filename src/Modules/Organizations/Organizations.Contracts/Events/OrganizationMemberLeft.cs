using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Organizations.Contracts.Events;

/// <summary>
/// A member or guest left the organization (an administrator removed them). Published in the same transaction that
/// deletes the membership; Licensing and Cloud Credits return what the organization's account had allocated to them.
/// Handlers must be idempotent: the outbox delivers at least once.
/// </summary>
/// <param name="OrganizationAccountId">The customer account whose licenses and credits the organization shares.</param>
/// <param name="AccountId">The account that left.</param>
public sealed record OrganizationMemberLeft(
    Guid EventId, DateTime OccurredUtc, Guid OrganizationId, string OrganizationAccountId, Guid MembershipId, string AccountId, string Email)
    : IIntegrationEvent;
