using ChaosModular.Notifications.Contracts;
using ChaosModular.Organizations.Contracts.Events;

namespace ChaosModular.Organizations.Features;

/// <summary>Tells an appointed administrator, once per appointment, that the Organization menu is theirs now.</summary>
internal sealed class AppointAdministratorEmail(INotificationsApi notifications) : IIntegrationEventHandler<OrganizationAdministratorAppointed>
{
    public Task HandleAsync(OrganizationAdministratorAppointed integrationEvent, CancellationToken cancellationToken) =>
        notifications.QueueEmailAsync(new OrganizationAdministratorAppointedEmail(
            $"organization-administrator:{integrationEvent.MembershipId:N}", integrationEvent.Email, integrationEvent.Name, integrationEvent.OrganizationName),
            cancellationToken);
}
