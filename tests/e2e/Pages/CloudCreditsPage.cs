namespace ChaosModular.E2E.Pages;

/// <summary>/products/cloud-credits: balances, the chart of credits used per month, the grants.</summary>
public sealed class CloudCreditsPage(IPage page) : PortalPage(page)
{
    protected override string Path => "/products/cloud-credits";

    public ILocator Remaining => Page.GetByTestId("credits-remaining");

    public ILocator Chart => Page.GetByRole(AriaRole.Img, new() { Name = "Cloud credits used per month" });

    /// <summary>Opens the chart's "Show as table" and returns its month rows.</summary>
    public async Task<ILocator> ChartTableRowsAsync()
    {
        await Page.GetByTestId("credits-chart-details").GetByText("Show as table").ClickAsync();
        return Page.GetByTestId("credits-chart-table").GetByTestId("chart-row");
    }
}
