using ChaosModular.Subscriptions.Contracts.Events;

namespace ChaosModular.Licensing.IntegrationEventHandlers;

/// <summary>
/// Every subscription event brings its license in step (<see cref="FollowSubscription"/>). Renewals come as batches
/// (a renewal run's), followed together.
/// </summary>
internal sealed class LicenseFollowsSubscription(FollowSubscription follow) :
    IIntegrationEventHandler<SubscriptionCreated>,
    IIntegrationEventHandler<SubscriptionSeatsChanged>,
    IIntegrationEventHandler<SubscriptionUpgraded>,
    IIntegrationEventBatchHandler<SubscriptionRenewed>,
    IIntegrationEventHandler<SubscriptionExpired>
{
    public Task HandleManyAsync(IReadOnlyList<SubscriptionRenewed> integrationEvents, CancellationToken cancellationToken) =>
        follow.HandleManyAsync(integrationEvents.Select(e => e.SubscriptionId).ToList(), cancellationToken);

    public Task HandleAsync(SubscriptionCreated integrationEvent, CancellationToken cancellationToken) =>
        follow.HandleAsync(integrationEvent.SubscriptionId, cancellationToken);

    public Task HandleAsync(SubscriptionSeatsChanged integrationEvent, CancellationToken cancellationToken) =>
        follow.HandleAsync(integrationEvent.SubscriptionId, cancellationToken);

    public Task HandleAsync(SubscriptionUpgraded integrationEvent, CancellationToken cancellationToken) =>
        follow.HandleAsync(integrationEvent.SubscriptionId, cancellationToken);

    public Task HandleAsync(SubscriptionRenewed integrationEvent, CancellationToken cancellationToken) =>
        follow.HandleAsync(integrationEvent.SubscriptionId, cancellationToken);

    public Task HandleAsync(SubscriptionExpired integrationEvent, CancellationToken cancellationToken) =>
        follow.HandleAsync(integrationEvent.SubscriptionId, cancellationToken);
}
