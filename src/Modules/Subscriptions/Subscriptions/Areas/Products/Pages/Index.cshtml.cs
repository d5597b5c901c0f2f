
namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>Active Products: every active subscription with its seats, dates, auto-renewal, payment method and licence key.</summary>
internal sealed class IndexModel(ListSubscriptions list, ICurrentCustomer customer) : SubscriptionListPage(list, customer)
{
    protected override SubscriptionStatus Status => SubscriptionStatus.Active;
}
