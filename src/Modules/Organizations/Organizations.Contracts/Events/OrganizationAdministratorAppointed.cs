using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Organizations.Contracts.Events;

/// <summary>Support made the account an administrator of the organization (its first one at set-up, or another).</summary>
public sealed record OrganizationAdministratorAppointed(
    Guid EventId, DateTime OccurredUtc, Guid OrganizationId, string OrganizationName, Guid MembershipId, string AccountId, string Email, string Name)
    : IIntegrationEvent;
