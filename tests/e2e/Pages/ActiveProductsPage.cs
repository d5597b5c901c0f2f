namespace ChaosModular.E2E.Pages;

/// <summary>/products, where the portal opens after sign-in.</summary>
public sealed class ProductsPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/products";

    public ILocator EmptyState => Page.GetByTestId("empty-state");
}
