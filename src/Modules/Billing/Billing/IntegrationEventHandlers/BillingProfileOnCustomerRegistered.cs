using ChaosModular.Accounts.Contracts;
using ChaosModular.Accounts.Contracts.Events;

namespace ChaosModular.Billing.IntegrationEventHandlers;

/// <summary>Starts a new customer's billing information from their account: name, country and email.</summary>
internal sealed class BillingProfileOnCustomerRegistered(BillingDbContext db, IAccountsApi accounts, TimeProvider clock) : IIntegrationEventHandler<CustomerRegistered>
{
    public async Task HandleAsync(CustomerRegistered integrationEvent, CancellationToken cancellationToken)
    {
        if (await db.Profiles.AnyAsync(p => p.CustomerId == integrationEvent.UserId, cancellationToken))
        {
            return;
        }
        var customer = await accounts.FindCustomerAsync(integrationEvent.UserId, cancellationToken);
        var profile = BillingProfile.Create(integrationEvent.UserId);
        profile.Update(integrationEvent.Name, "", null, "", "", customer?.Country ?? "", integrationEvent.Email, null, clock.GetUtcNow().UtcDateTime);
        db.Profiles.Add(profile);
        // False when a concurrent delivery of the same event (or the customer's own save) created it first.
        await db.TryInsertOnceAsync(cancellationToken);
    }
}
