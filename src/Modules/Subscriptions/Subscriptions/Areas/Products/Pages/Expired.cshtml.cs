
namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>Expired Products, with Buy Again.</summary>
internal sealed class ExpiredModel(ListSubscriptions list, ICurrentCustomer customer) : SubscriptionListPage(list, customer)
{
    protected override SubscriptionStatus Status => SubscriptionStatus.Expired;
}
