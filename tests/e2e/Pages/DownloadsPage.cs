namespace ChaosModular.E2E.Pages;

/// <summary>/products/downloads: the latest installers of the products the customer has an active subscription for.</summary>
public sealed class DownloadsPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/products/downloads";

    /// <summary>One section per product.</summary>
    public ILocator Products => Page.GetByTestId("download-product");

    /// <summary>The section whose heading names <paramref name="productName"/> ("Phoenix 5.3").</summary>
    public ILocator Product(string productName) =>
        Products.Filter(new() { Has = Page.GetByRole(AriaRole.Heading, new() { Name = productName }) });

    /// <summary>The Download buttons of one product, one per operating system.</summary>
    public ILocator DownloadLinks(string productName) => Product(productName).GetByTestId("download");

    public static async Task<DownloadsPage> OpenAsync(IPage page)
    {
        var downloads = new DownloadsPage(page);
        await downloads.GotoAsync();
        await Expect(downloads.Heading).ToHaveTextAsync("Products");
        return downloads;
    }
}
